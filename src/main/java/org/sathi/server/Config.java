package org.sathi.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sathi.config.Problem;
import org.sathi.redis.RedisConnection;
import org.sathi.session.SessionTimes;
import org.sathi.voice.VoiceSettings;

/**
 * config/sathi.yaml, with defaults for everything and environment variables on top
 * (SATHI_PORT, SATHI_PUBLIC_URL, REDIS_URL, TWILIO_*, SATHI_SECRET).
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties({"channels"})
public record Config(Server server, Flows flows, Redis redis, Session session, Sms sms, VoiceSettings voice, Duty duty, Map<String, String> numbers,
    Twilio twilio, String secret, java.util.List<org.sathi.channel.Channels.Channel> channels, Statistics statistics) {

  /**
   * Published statistics: {@code openPeriods} lets the current month or quarter be shown, marked
   * provisional (for training and tests); off, only periods that have ended are published.
   */
  public record Statistics(boolean openPeriods) {}

  /** The duty-officer queue: acknowledgement deadlines, how the inbox is worked, how long reports are kept. */
  public record Duty(int p1AckMinutes, int p2AckMinutes, int reclaimSeconds, int maxDeliveries, String roster, int retentionDays) {
    public Duty {
      if (p1AckMinutes == 0) p1AckMinutes = 5;
      if (p2AckMinutes == 0) p2AckMinutes = 60;
      if (reclaimSeconds == 0) reclaimSeconds = 30;
      if (maxDeliveries == 0) maxDeliveries = 5;
      if (roster == null) roster = "config/roster.yaml";
      if (retentionDays == 0) retentionDays = 365;
    }

    public org.sathi.duty.Escalation.Settings escalation() {
      return new org.sathi.duty.Escalation.Settings(Duration.ofMinutes(p1AckMinutes), Duration.ofMinutes(p2AckMinutes), Duration.ofSeconds(30));
    }

    public org.sathi.duty.DutyDesk.Settings desk(String consumer) {
      return new org.sathi.duty.DutyDesk.Settings(consumer, Duration.ofMillis(500), Duration.ofSeconds(reclaimSeconds), maxDeliveries);
    }
  }

  /**
   * {@code port} 0 asks for any free port (tests); absent means 8080. {@code simulator} serves the
   * phone simulator and its simulated Twilio under {@code /simulator/} (always on in demo).
   * {@code trustForwardedFor}: Sathi is behind a proxy or load balancer that appends the client's
   * address to {@code X-Forwarded-For}; the console's login throttle then counts that address.
   */
  public record Server(Integer port, String publicUrl, int maxBodyBytes, int shutdownGraceSeconds, boolean simulator, boolean trustForwardedFor) {
    public Server {
      if (port == null) port = 8080;
      if (publicUrl == null) publicUrl = "http://localhost:8080";
      if (maxBodyBytes == 0) maxBodyBytes = 16384;
      if (shutdownGraceSeconds == 0) shutdownGraceSeconds = 20;
    }
  }

  public record Flows(String dir) {
    public Flows {
      if (dir == null) dir = "ivr-flows";
    }
  }

  /** @param acceptDataLoss readiness no longer fails when Redis could lose acknowledged writes (appendonly no, ...) */
  public record Redis(String url, int commandTimeoutMillis, int requestQueueSize, boolean acceptDataLoss) {
    public Redis {
      if (url == null) url = "redis://127.0.0.1:6379";
      if (commandTimeoutMillis == 0) commandTimeoutMillis = 700;
      if (requestQueueSize == 0) requestQueueSize = 10000;
    }

    public RedisConnection.Settings settings() {
      return new RedisConnection.Settings(url, Duration.ofMillis(commandTimeoutMillis), requestQueueSize);
    }
  }

  public record Session(int ttlHours, int returningDays, int dedupHours, int replyWindowMinutes) {
    public Session {
      if (ttlHours == 0) ttlHours = 24;
      if (returningDays == 0) returningDays = 30;
      if (dedupHours == 0) dedupHours = 24;
      if (replyWindowMinutes == 0) replyWindowMinutes = 60;
    }

    public SessionTimes times() {
      return new SessionTimes(Duration.ofHours(ttlHours), Duration.ofDays(returningDays), Duration.ofHours(dedupHours),
          Duration.ofMinutes(replyWindowMinutes));
    }
  }

  public record Sms(int maxSegmentsPerReply, int turnDeadlineMillis) {
    public Sms {
      if (maxSegmentsPerReply == 0) maxSegmentsPerReply = 2;
      if (turnDeadlineMillis == 0) turnDeadlineMillis = 1800;
    }
  }

  /** @param from the number (or Messaging Service SID, MG...) that pages and replies are sent from */
  public record Twilio(String accountSid, String authToken, String apiBase, String from) {
    public Twilio {
      if (accountSid == null) accountSid = "";
      if (authToken == null) authToken = "";
      if (apiBase == null || apiBase.isBlank()) apiBase = "https://api.twilio.com";
      if (from == null) from = "";
    }
  }

  public Config {
    if (server == null) server = new Server(null, null, 0, 0, false, false);
    if (flows == null) flows = new Flows(null);
    if (redis == null) redis = new Redis(null, 0, 0, false);
    if (session == null) session = new Session(0, 0, 0, 0);
    if (sms == null) sms = new Sms(0, 0);
    if (voice == null) voice = VoiceSettings.defaults();
    if (duty == null) duty = new Duty(0, 0, 0, 0, null, 0);
    numbers = numbers == null ? Map.of() : Map.copyOf(numbers);
    if (twilio == null) twilio = new Twilio(null, null, null, null);
    channels = channels == null ? java.util.List.of() : java.util.List.copyOf(channels);
    if (statistics == null) statistics = new Statistics(false);
  }

  /** The {@code type: twilio} entry of {@code channels:}, if there is one. */
  public java.util.Optional<org.sathi.channel.Channels.Twilio> twilioChannel() {
    return channels.stream().filter(c -> c instanceof org.sathi.channel.Channels.Twilio).map(c -> (org.sathi.channel.Channels.Twilio) c).findFirst();
  }

  /** The {@code type: whatsapp} entry of {@code channels:}, if there is one. */
  public java.util.Optional<org.sathi.channel.Channels.WhatsApp> whatsApp() {
    return channels.stream().filter(c -> c instanceof org.sathi.channel.Channels.WhatsApp).map(c -> (org.sathi.channel.Channels.WhatsApp) c)
        .findFirst();
  }

  /** Texts come in through Twilio: a {@code type: twilio} entry in {@code channels:}, or no {@code channels:} at all (Twilio only, as before). */
  public boolean twilioSms() {
    return channels.isEmpty() || twilioChannel().isPresent();
  }

  /** The text channels of {@code channels:}; none means Twilio only, as before. */
  public Config withChannels(java.util.List<org.sathi.channel.Channels.Channel> channels) {
    return new Config(server, flows, redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  /** A config that cannot be used; {@code problems} say where and why. */
  public static final class Invalid extends Exception {
    public final java.util.List<Problem> problems;

    Invalid(java.util.List<Problem> problems) {
      super(problems.toString());
      this.problems = problems;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Reads the file (when it exists), then applies the environment. */
  public static Config load(Path file, Map<String, String> env) throws Invalid {
    Config base = new Config(null, null, null, null, null, null, null, null, null, null, null, null);
    if (file != null && Files.exists(file)) {
      try {
        Config read = YAML.readValue(file.toFile(), Config.class);
        if (read != null && read.secret() != null) {
          throw new Invalid(java.util.List.of(new Problem(file.toString(), lineOfKey(file, "secret"),
              "the secret does not belong in a file; remove it and set SATHI_SECRET in the environment")));
        }
        if (read != null) base = read;
      } catch (JsonMappingException e) {
        throw new Invalid(java.util.List.of(new Problem(file.toString(), lineOf(file, e), describe(e))));
      } catch (IOException e) {
        throw new Invalid(java.util.List.of(new Problem(file.toString(), 1, "cannot read: " + e.getMessage())));
      }
    }
    // channels: is read apart, with the line of every problem; secrets come from the environment.
    org.sathi.channel.Channels.Loaded channels = org.sathi.channel.Channels.load(file, env, false);
    if (!channels.problems().isEmpty()) throw new Invalid(channels.problems());
    return base.withChannels(channels.channels()).withEnvironment(env, file == null ? "environment" : file.toString());
  }

  private static int lineOfKey(Path file, String key) {
    try {
      if (org.sathi.config.YamlTree.parse(Files.readString(file)) instanceof org.sathi.config.YamlTree.Mapping m && m.entries().get(key) != null) {
        return m.entries().get(key).line();
      }
    } catch (Exception unreadable) {
      // fall through
    }
    return 1;
  }

  /** The line of the setting Jackson complains about, found by its path (Jackson's own location is the parser's). */
  private static int lineOf(Path file, JsonMappingException e) {
    int fallback = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
    try {
      org.sathi.config.YamlTree node = org.sathi.config.YamlTree.parse(Files.readString(file));
      int line = fallback;
      for (JsonMappingException.Reference ref : e.getPath()) {
        if (!(node instanceof org.sathi.config.YamlTree.Mapping m) || ref.getFieldName() == null) break;
        org.sathi.config.YamlTree.Entry entry = m.entries().get(ref.getFieldName());
        if (entry == null) break;
        line = entry.line();
        node = entry.value();
      }
      return line;
    } catch (Exception unreadable) {
      return fallback;
    }
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
      return "unknown setting '" + u.getPropertyName() + "'; known here: " + u.getKnownPropertyIds();
    }
    return e.getOriginalMessage().lines().findFirst().orElse("invalid setting");
  }

  Config withEnvironment(Map<String, String> env, String where) throws Invalid {
    Server s = server;
    String port = env.get("SATHI_PORT");
    if (port != null) {
      if (!port.matches("\\d{1,5}")) throw new Invalid(java.util.List.of(new Problem("SATHI_PORT", 1, "must be a port number")));
      s = new Server(Integer.parseInt(port), s.publicUrl(), s.maxBodyBytes(), s.shutdownGraceSeconds(), s.simulator(), s.trustForwardedFor());
    }
    String publicUrl = env.getOrDefault("SATHI_PUBLIC_URL", s.publicUrl());
    s = new Server(s.port(), stripSlash(publicUrl), s.maxBodyBytes(), s.shutdownGraceSeconds(), s.simulator(), s.trustForwardedFor());
    Redis r = new Redis(env.getOrDefault("REDIS_URL", redis.url()), redis.commandTimeoutMillis(), redis.requestQueueSize(), redis.acceptDataLoss());
    Twilio t = new Twilio(env.getOrDefault("TWILIO_ACCOUNT_SID", twilio.accountSid()),
        env.getOrDefault("TWILIO_AUTH_TOKEN", twilio.authToken()),
        env.getOrDefault("TWILIO_API_BASE", twilio.apiBase()),
        env.getOrDefault("TWILIO_FROM", twilio.from()));
    return new Config(s, flows, r, session, sms, voice, duty, new LinkedHashMap<>(numbers), t, env.getOrDefault("SATHI_SECRET", secret), channels, statistics);
  }

  public Config withPort(int port) {
    return new Config(new Server(port, server.publicUrl(), server.maxBodyBytes(), server.shutdownGraceSeconds(), server.simulator(), server.trustForwardedFor()), flows, redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withPublicUrl(String url) {
    return new Config(new Server(server.port(), stripSlash(url), server.maxBodyBytes(), server.shutdownGraceSeconds(), server.simulator(), server.trustForwardedFor()), flows, redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withSimulator(boolean on) {
    return new Config(new Server(server.port(), server.publicUrl(), server.maxBodyBytes(), server.shutdownGraceSeconds(), on, server.trustForwardedFor()), flows, redis, session,
        sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withRedisUrl(String url) {
    return new Config(server, flows, new Redis(url, redis.commandTimeoutMillis(), redis.requestQueueSize(), redis.acceptDataLoss()), session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withFlowsDir(String dir) {
    return new Config(server, new Flows(dir), redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withTwilio(String accountSid, String authToken) {
    return new Config(server, flows, redis, session, sms, voice, duty, numbers, new Twilio(accountSid, authToken, twilio.apiBase(), twilio.from()), secret, channels, statistics);
  }

  public Config withTwilioApi(String apiBase, String from) {
    return new Config(server, flows, redis, session, sms, voice, duty, numbers, new Twilio(twilio.accountSid(), twilio.authToken(), apiBase, from), secret, channels, statistics);
  }

  public Config withDuty(Duty duty) {
    return new Config(server, flows, redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withStatistics(Statistics statistics) {
    return new Config(server, flows, redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  public Config withSecret(String secret) {
    return new Config(server, flows, redis, session, sms, voice, duty, numbers, twilio, secret, channels, statistics);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
