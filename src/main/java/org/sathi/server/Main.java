package org.sathi.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.load.FlowLoader;
import org.sathi.config.Problem;
import org.sathi.duty.LogPager;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.duty.RedisDutyInbox;
import org.sathi.duty.Roster;
import org.sathi.duty.Triager;
import org.sathi.report.Crosswalk;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Triage;
import org.sathi.channel.twilio.TwilioOutbound;
import org.sathi.channel.twilio.TwilioPager;
import org.sathi.report.RedisReportStore;
import org.sathi.privacy.Sealer;
import org.sathi.session.ConversationCodec;
import org.sathi.session.Durability;
import org.sathi.session.MemorySessionStore;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;
import org.sathi.session.SessionStore;

/** The command line: {@code demo}, {@code serve}, {@code validate}, and {@code sms} to try a running server. */
public final class Main {
  public static final String DEMO_AUTH_TOKEN = "demo-auth-token";
  /** The demo's Twilio account: shaped like a real one, so that the REST client and recording URLs take it. */
  public static final String DEMO_ACCOUNT_SID = "AC" + "de".repeat(16);
  static final Path CONFIG = Path.of("config/sathi.yaml");

  private Main() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "help" : args[0];
    List<String> rest = new ArrayList<>(List.of(args).subList(Math.min(1, args.length), args.length));
    int status = switch (command) {
      case "validate" -> validate(rest, System.getenv(), System.out);
      case "demo" -> start(true, rest);
      case "serve" -> start(false, rest);
      case "sms" -> sms(rest, System.getenv(), System.out);
      case "call" -> call(rest, System.getenv(), System.out);
      case "erase" -> erase(rest, System.getenv(), System.out);
      case "officer" -> officer(rest, System.getenv(), System.in, System.out);
      case "audio" -> audio(rest, System.getenv(), System.out);
      case "simulate" -> simulate(rest, System.getenv(), System.out);
      default -> usage(System.err);
    };
    if (status >= 0) System.exit(status);
  }

  private static int usage(PrintStream out) {
    out.println("""
        usage: ./sathi demo [--sample-data]      in-memory stores, demo Twilio token; the console at /console/; try it with ./sathi sms;
                                                 --sample-data: a few hundred synthetic reports over the past 6 months, for statistics
               ./sathi serve [--config FILE]     production: Redis (REDIS_URL), SATHI_SECRET; TWILIO_* when Twilio carries texts or calls
               ./sathi validate [DIR]            check ivr-flows/ and config/; prints file:line: problem
               ./sathi test                      every test (needs redis-server; installs it when it can)
               ./sathi erase XXXX-XXXX            erase one report now (Redis); an audit entry without content remains
               ./sathi officer add NAME --role officer|supervisor|analyst  console account (Redis); the password is read from standard input
               ./sathi officer reset NAME        a new password (from standard input); the officer's sessions end
               ./sathi officer disable NAME      the account can no longer log in; its sessions stop at once
               ./sathi audio render LANG         placeholder recordings of every call prompt, by espeak-ng (marked synthetic)
               ./sathi validate --sms-report     every message's SMS cost in every language, and each language's largest reply
               ./sathi bench                     the load benchmark against a baseline, memory figures, JMH
               ./sathi bench --statistics        the time of a statistics query over a quarter of 100,000 reports in Redis
               ./sathi call [--from +E164] [STEP ...]   play a signed test call (keys, silence, record, hangup); prints what is said
               ./sathi simulate --script FILE [--url URL] [--token T] [--ussd-channel NAME --ussd-code CODE --ussd-key KEY]
                                                 play a scripted conversation (sms, call, ussd, whatsapp); exits 1 on a mismatch;
                                                 the USSD key also from SATHI_USSD_KEY (default: the demo's channel)
               ./sathi sms [--channel NAME] [--from +E164] [--url URL] [--token TOKEN] TEXT
                                                 send a signed test SMS to a running Sathi and print the reply""");
    return 2;
  }

  /** Loads config and flows, printing every problem; null when any. */
  static Loaded load(Path configFile, String flowsDir, Map<String, String> env, PrintStream out) {
    return load(configFile, flowsDir, env, out, java.util.Set.of());
  }

  /** @param beingRecorded languages whose recordings are being made now: their missing recordings are not problems */
  static Loaded load(Path configFile, String flowsDir, Map<String, String> env, PrintStream out, java.util.Set<String> beingRecorded) {
    Config config;
    try {
      config = Config.load(configFile, env);
    } catch (Config.Invalid e) {
      e.problems.forEach(out::println);
      return null;
    }
    if (flowsDir != null) config = config.withFlowsDir(flowsDir);
    FlowLoader.Result result = FlowLoader.load(Path.of(config.flows().dir()), config.numbers(), config.sms().maxSegmentsPerReply(), DIRECTORY,
        beingRecorded);
    if (!result.ok()) {
      result.problems().forEach(out::println);
      out.println(result.problems().size() + " problem(s) in " + config.flows().dir() + "; fix them and run ./sathi validate again.");
      return null;
    }
    FlowBundle bundle = result.bundle();
    Roster.Loaded roster = Roster.load(Path.of(config.duty().roster()));
    Triage.Loaded triage = Triage.load(TRIAGE, bundle.languages().enabled().stream().map(l -> l.code()).collect(Collectors.toSet()));
    Crosswalk.Loaded crosswalk = Crosswalk.load(CROSSWALK, whatValues(bundle));
    org.sathi.console.Referrals.Loaded referrals = org.sathi.console.Referrals.load(REFERRALS);
    org.sathi.report.Outcomes.Loaded outcomes = org.sathi.report.Outcomes.load(org.sathi.report.Outcomes.FILE);
    org.sathi.console.CannedReplies.Loaded replies = org.sathi.console.CannedReplies.load(REPLIES,
        bundle.languages().enabled().stream().map(l -> l.code()).toList(), bundle.languages().fallback().code(),
        Math.min(org.sathi.console.CannedReplies.MAX_SEGMENTS, config.sms().maxSegmentsPerReply()));
    List<Problem> problems = new ArrayList<>();
    // Every country a channel serves needs its own numbers, as every country a language serves does.
    Map<String, String> served = new java.util.LinkedHashMap<>();
    for (org.sathi.channel.Channels.Channel c : config.channels()) {
      for (String cc : c.countries()) served.putIfAbsent(cc, "channel " + c.name() + " (" + configFile + " channels:)");
    }
    if (bundle.countries() != null) problems.addAll(bundle.countries().missing(COUNTRIES.toString(), served));
    problems.addAll(roster.problems());
    problems.addAll(triage.problems());
    problems.addAll(crosswalk.problems());
    problems.addAll(referrals.problems());
    problems.addAll(outcomes.problems());
    problems.addAll(replies.problems());
    if (!problems.isEmpty()) {
      problems.forEach(out::println);
      out.println(problems.size() + " problem(s) in config/; fix them and run ./sathi validate again.");
      return null;
    }
    return new Loaded(config, bundle, result.largest(), roster.roster(), triage.triage(), crosswalk.crosswalk(), referrals.referrals(),
        outcomes.outcomes(), replies.replies(), result.places());
  }

  static final Path TRIAGE = Path.of("config/triage.yaml");
  static final Path COUNTRIES = Path.of("config/countries.yaml");
  static final Path DIRECTORY = Path.of("config/directory.yaml");
  static final Path CROSSWALK = Path.of("config/crosswalk.yaml");
  static final Path REFERRALS = Path.of("config/referrals.yaml");
  static final Path REPLIES = Path.of("config/replies.yaml");
  static final Path PLACES = Path.of("config/places.yaml");

  /** The values a report's "what is happening" can take, from the flows: the crosswalk must map each. */
  static java.util.Set<String> whatValues(FlowBundle bundle) {
    return bundle.nodes().values().stream()
        .filter(n -> n instanceof org.sathi.flow.node.Question q && "what".equals(q.save()))
        .flatMap(n -> ((org.sathi.flow.node.Question) n).options().stream().map(org.sathi.flow.Node.Option::value))
        .collect(Collectors.toSet());
  }

  /** @param places config/places.yaml: where reports are; {@code places.rollUp(answers.area())} is a report's origin in published tables */
  record Loaded(Config config, FlowBundle bundle, Map<String, FlowLoader.Largest> largest, Roster roster, Triage triage, Crosswalk crosswalk,
      org.sathi.console.Referrals referrals, org.sathi.report.Outcomes outcomes, org.sathi.console.CannedReplies replies,
      org.sathi.report.Places places) {}

  static int validate(List<String> args, Map<String, String> env, PrintStream out) {
    boolean smsReport = args.contains("--sms-report");
    List<String> dirs = args.stream().filter(a -> !a.startsWith("--")).toList();
    Loaded loaded = load(CONFIG, dirs.isEmpty() ? null : dirs.get(0), env, out);
    if (loaded == null) return 1;
    FlowBundle b = loaded.bundle();
    if (smsReport) smsReport(b, loaded, out);
    out.println("OK: " + b.nodes().size() + " nodes, languages "
        + b.languages().enabled().stream().map(l -> l.code()).collect(Collectors.joining(", "))
        + "; every reply fits " + loaded.config().sms().maxSegmentsPerReply() + " SMS segments.");
    loaded.largest().forEach((language, top) -> out.println("  largest reply in " + language + ": " + top.size().segments()
        + " segment(s), " + top.size().units() + " " + (top.size().encoding() == org.sathi.i18n.SmsSegments.Encoding.GSM_7 ? "GSM-7 septets" : "UCS-2 units")
        + " (" + top.what() + ")"));
    b.languages().enabled().forEach(l -> out.println("  calls in " + l.code() + ": " + voiceSource(b, l, loaded.config().flows().dir())));
    org.sathi.i18n.Catalog source = b.catalog(b.languages().fallback().code());
    b.languages().enabled().forEach(l -> {
      // voice.screen is for the duty desk, in the default language only.
      List<String> keys = source.messages().keySet().stream().filter(k -> !k.equals(FlowLoader.SCREEN_KEY)).toList();
      long have = keys.stream().filter(b.catalog(l.code())::has).count();
      out.println("  complete in " + l.code() + ": " + have + " of " + keys.size() + " message keys ("
          + (100 * have / Math.max(1, keys.size())) + "%)");
    });
    long samples = FlowLoader.samples(b);
    if (samples > 0) {
      out.println("  note: " + DIRECTORY + " has " + samples + " sample countr" + (samples == 1 ? "y" : "ies")
          + " (sample: true): verify every number, replace the placeholder embassy numbers, then remove sample: true");
    }
    List<String> unverified = b.countries() == null ? List.of() : b.countries().unverified();
    if (!unverified.isEmpty()) {
      out.println("  note: " + COUNTRIES + " has " + unverified.size() + " number(s) the helpline has not verified (call each, then set verified: true):");
      unverified.forEach(u -> out.println("    unverified: " + u));
    }
    out.println("  channels: " + (loaded.config().channels().isEmpty() ? "twilio only (no channels: in config/sathi.yaml)"
        : loaded.config().channels().stream().map(c -> c.name() + " (" + c.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
            + (c.countries().isEmpty() ? "" : ", +" + String.join(" +", c.countries())) + ")").collect(Collectors.joining(", "))));
    out.println("  places: " + placesNote(loaded.places()));
    long sampleServices = loaded.referrals().samples();
    if (sampleServices > 0) {
      out.println("  note: " + REFERRALS + " has " + sampleServices + " sample service(s) (sample: true): replace them with your own verified"
          + " partners, then remove sample: true");
    }
    org.sathi.console.CannedReplies replies = loaded.replies();
    if (!replies.replies().isEmpty()) {
      out.println("  prepared replies: " + replies.replies().size() + " in " + REPLIES + ", each in every language within "
          + Math.min(org.sathi.console.CannedReplies.MAX_SEGMENTS, loaded.config().sms().maxSegmentsPerReply()) + " SMS segments");
    }
    if (!replies.drafts().isEmpty()) {
      out.println("  note: " + REPLIES + " has draft texts in " + String.join(", ", replies.drafts())
          + ": have a native speaker review each language, then mark it reviewed under review:");
    }
    b.languages().enabled().stream().filter(l -> l.review() == null || !l.review().startsWith("reviewed"))
        .forEach(l -> out.println("  note: " + l.code() + " is marked '" + (l.review() == null ? "not reviewed" : l.review()) + "'"));
    return 0;
  }

  /** What config/places.yaml gives callers to choose, for operators: "BD 8 first-level areas and 64 within them; NP 7". */
  static String placesNote(org.sathi.report.Places places) {
    if (places == null || places.countries().isEmpty()) return "none (no config/places.yaml): reports are not asked for an area";
    return places.countries().stream().map(c -> {
      long first = places.areas(c).stream().filter(org.sathi.report.Places.Area::firstLevel).count();
      long inner = places.areas(c).size() - first;
      List<String> levels = places.levels(c);
      String top = levels.isEmpty() ? "first-level areas" : levels.get(0) + "s";
      String below = levels.size() < 2 ? "areas within them" : levels.get(1) + "s";
      return c + " " + first + " " + top + (inner > 0 ? ", " + inner + " " + below : "");
    }).collect(Collectors.joining("; ")) + " (" + PLACES + "); callers of other countries are not asked for an area";
  }

  /**
   * {@code ./sathi validate --sms-report}: every message key in every language, as an SMS costs it
   * (characters, encoding, segments), then each language's largest reply. Numbers and codes are
   * filled in as a caller would see them.
   */
  static void smsReport(FlowBundle b, Loaded loaded, PrintStream out) {
    Map<String, String> sample = Map.of("reference", "ABCD-EFGH", "min", "0", "max", "120", "label", "Label", "digit", "1");
    List<String> codes = b.languages().enabled().stream().map(org.sathi.i18n.Language::code).toList();
    out.println("SMS cost of every message (characters / encoding / segments); the budget is "
        + loaded.config().sms().maxSegmentsPerReply() + " segments a reply");
    out.printf("%-28s", "key");
    codes.forEach(c -> out.printf(" %-12s", c));
    out.println();
    java.util.Set<String> paged = b.nodes().values().stream().filter(n -> n instanceof org.sathi.flow.node.Info)
        .map(n -> ((org.sathi.flow.node.Info) n).content()).collect(Collectors.toSet());
    for (String key : new java.util.TreeSet<>(b.catalog(b.languages().fallback().code()).messages().keySet())) {
      if (key.startsWith("voice.")) continue; // said on calls, never texted
      out.printf("%-28s", key + (paged.contains(key) ? " *" : ""));
      for (String code : codes) {
        org.sathi.i18n.Catalog c = b.catalog(code);
        if (!c.has(key)) {
          out.printf(" %-12s", "missing");
          continue;
        }
        org.sathi.i18n.SmsSegments seg = org.sathi.i18n.SmsSegments.of(c.text(key, sample));
        out.printf(" %-12s", c.text(key, sample).length() + (seg.encoding() == org.sathi.i18n.SmsSegments.Encoding.GSM_7 ? " G " : " U ")
            + seg.segments());
      }
      out.println();
    }
    out.println("(G: GSM-7, 160 characters in one segment, 153 a part; U: UCS-2, 70 in one, 67 a part. * is long content, sent in pages"
        + " that each fit the budget. A reply puts several messages together; the largest reply of each language follows.)");
    out.println();
    out.printf("%-6s %-9s %-8s %-10s %s%n", "lang", "segments", "units", "encoding", "largest reply");
    loaded.largest().forEach((language, top) -> out.printf("%-6s %-9d %-8d %-10s %s%n", language, top.size().segments(), top.size().units(),
        top.size().encoding() == org.sathi.i18n.SmsSegments.Encoding.GSM_7 ? "GSM-7" : "UCS-2", top.what()));
    out.println();
  }

  /** {@code ./sathi audio render LANG [DIR]}: synthetic placeholder recordings with espeak-ng (see {@link org.sathi.voice.AudioRender}). */
  static int audio(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
    if (args.size() < 2 || !args.get(0).equals("render")) {
      out.println("usage: ./sathi audio render LANG [DIR]   placeholder recordings of every call prompt, by espeak-ng");
      return 2;
    }
    String language = args.get(1);
    // Prompts still missing from a recordings-only language are what this makes: they are not problems here.
    Loaded loaded = load(CONFIG, args.size() > 2 ? args.get(2) : null, env, out, java.util.Set.of(language));
    if (loaded == null) return 1;
    return org.sathi.voice.AudioRender.render(loaded.bundle(), Path.of(loaded.config().flows().dir()), language, out);
  }

  /** Where a language's call prompts come from, for operators: TTS, substitute, recordings, or SMS only. */
  static String voiceSource(FlowBundle b, org.sathi.i18n.Language l, String flowsDir) {
    var v = l.voice();
    int files = b.recordings().getOrDefault(l.code(), Map.of()).size();
    String recorded = files == 0 ? "" : ", with " + files + " recorded prompt(s) played first";
    if (v.smsOnly()) return "SMS only (not offered on calls)";
    if (v.recorded()) {
      boolean synthetic = java.nio.file.Files.exists(Path.of(flowsDir, "audio", l.code(), org.sathi.voice.AudioRender.MARKER));
      return "recordings (" + files + " files" + (synthetic ? ", synthetic placeholders by espeak-ng: see audio/" + l.code() + "/"
          + org.sathi.voice.AudioRender.MARKER : "") + ")";
    }
    if (v.substitute() != null) return "substitute: " + v.substitute() + "'s words and voice" + recorded;
    return "TTS " + v.tts() + " (" + v.locale() + ")" + recorded;
  }

  /** Whether serve talks to Twilio: it carries texts (a twilio channel, or no channels:), WhatsApp, or calls (voice.enabled). */
  static boolean needsTwilio(Config config) {
    return config.twilioSms() || config.whatsApp().isPresent() || config.voice().enabled();
  }

  /**
   * Why {@code serve} cannot start with this config and environment, one line each that names the
   * setting and the fix; empty when it can. Twilio's settings are asked for only when
   * {@link #needsTwilio} says so, and the line says why, and what to change to run without them.
   */
  static List<String> serveProblems(Config config, Path configFile) {
    List<String> lines = new ArrayList<>();
    if (config.secret() == null || config.secret().length() < 16) {
      lines.add("Sathi did not start: set SATHI_SECRET (at least 16 characters) in the environment.");
    }
    if (config.server().simulator() && !needsTwilio(config)) {
      lines.add("Sathi did not start: server.simulator plays Twilio's phones, but without a twilio channel or voice there are no Twilio"
          + " webhooks to play them against; set server.simulator: false in " + configFile + ".");
    }
    // WhatsApp alone sends from its own sender: it needs the account, not TWILIO_FROM.
    List<String> missing = config.twilioSms() || config.voice().enabled() ? twilioSettings(config.twilio()) : twilioAccount(config.twilio());
    if (!needsTwilio(config) || missing.isEmpty()) return lines;
    List<String> because = new ArrayList<>();
    List<String> without = new ArrayList<>();
    if (config.twilioSms()) {
      String name = config.twilioChannel().map(org.sathi.channel.Channels.Channel::name).orElse(null);
      because.add(name != null ? "channel '" + name + "' is configured (type: twilio)" : "texts come through Twilio when there is no channels: list");
      without.add(name != null ? "remove channel '" + name + "' from channels:" : "list your SMPP or Kannel channels under channels:");
    }
    config.whatsApp().ifPresent(w -> {
      because.add("channel '" + w.name() + "' is configured (type: whatsapp)");
      without.add("remove channel '" + w.name() + "' from channels:");
    });
    if (config.voice().enabled()) {
      because.add("voice is enabled");
      without.add("set voice.enabled: false");
    }
    lines.add("Sathi did not start: set " + String.join(" and ", missing) + " in the environment. " + (missing.size() == 1 ? "It is" : "They are")
        + " needed because " + String.join(" and because ", because) + "; to run without Twilio, " + String.join(" and ", without)
        + " in " + configFile + ".");
    return lines;
  }

  /** The Twilio settings that are not set or not well-formed; empty when Twilio can be used. */
  static List<String> twilioSettings(Config.Twilio t) {
    List<String> missing = twilioAccount(t);
    if (t.from().isEmpty()) missing.add("TWILIO_FROM (the number or MG... Messaging Service SID that pages officers)");
    return missing;
  }

  /** The Twilio account settings that are not set or not well-formed: what every use of Twilio needs. */
  static List<String> twilioAccount(Config.Twilio t) {
    List<String> missing = new ArrayList<>();
    if (t.authToken().isEmpty()) missing.add("TWILIO_AUTH_TOKEN");
    if (!t.accountSid().matches("AC[0-9a-fA-F]{32}")) missing.add("TWILIO_ACCOUNT_SID (AC followed by 32 hex digits)");
    return missing;
  }

  /**
   * Without Twilio, an officer is paged only through a channel that serves their phone's country:
   * a warning for each officer no channel reaches (by id, never the phone).
   */
  static List<String> unreachableOfficers(Roster roster, Config config, Path configFile) {
    java.util.Set<String> served = new java.util.HashSet<>();
    // WhatsApp's countries are where its senders are, not where it can page: officers are paged by SMS.
    config.channels().stream().filter(c -> !(c instanceof org.sathi.channel.Channels.WhatsApp)).forEach(c -> served.addAll(c.countries()));
    return roster.officers().values().stream()
        .filter(o -> org.sathi.channel.ChannelRoutes.callingCode(o.phone(), served) == null)
        .map(o -> "Warning: officer " + o.id() + " cannot be paged: no channel in " + configFile + " serves their phone's country and Twilio"
            + " is not set up. Add the calling code of their phone to a channel's countries:, or set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM.")
        .toList();
  }

  /** The demo's simulated SMSC: a Bangladeshi operator's short code over SMPP. */
  static final String DEMO_SHORT_CODE = "10921";
  static final String DEMO_SMPP_CHANNEL = "bd-smpp-demo";
  static final String DEMO_SMPP_SYSTEM_ID = "sathi";
  /** The demo's approved WhatsApp template (a Content SID in Twilio's form): what an officer's reply becomes after 24 hours. */
  static final String DEMO_WHATSAPP_TEMPLATE = "HX" + "d3" + "0".repeat(30);

  private static int start(boolean demo, List<String> args) throws Exception {
    org.sathi.channel.smpp.SimulatedSmsc smsc = null;
    Path configFile = CONFIG;
    boolean sampleData = false;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config") && i + 1 < args.size()) configFile = Path.of(args.get(++i));
      else if (demo && args.get(i).equals("--sample-data")) sampleData = true;
    }
    Loaded loaded = load(configFile, null, System.getenv(), System.err);
    if (loaded == null) {
      System.err.println("Sathi did not start: the flows or the config above are invalid.");
      return 1;
    }
    Config config = loaded.config();
    if (demo) {
      if (config.secret() == null) config = config.withSecret(randomSecret());
      // Always the demo's own account: a real token from the environment is never used, nor printed, here.
      config = config.withTwilio(DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN);
      // The demo is called on localhost, so signatures are checked against the port it runs on.
      if (System.getenv("SATHI_PUBLIC_URL") == null) config = config.withPublicUrl("http://localhost:" + config.server().port());
      // Nothing leaves the machine: pages and replies go to the demo's own simulated Twilio, whose phones are on /simulator/.
      config = config.withSimulator(true).withTwilioApi(config.server().publicUrl() + org.sathi.simulator.SimulatedTwilio.BASE_PATH,
          org.sathi.simulator.TwilioPlayer.DEFAULT_HOTLINE);
      // A Bangladeshi operator's SMSC on this machine: the simulator's SMPP phone texts short code 10921 through it.
      if (config.channels().isEmpty()) {
        String password = randomSecret().substring(0, org.sathi.channel.Channels.MAX_PASSWORD);
        smsc = new org.sathi.channel.smpp.SimulatedSmsc(0, DEMO_SMPP_SYSTEM_ID, password);
        config = config.withChannels(List.of(new org.sathi.channel.Channels.Smpp(DEMO_SMPP_CHANNEL, "127.0.0.1", smsc.port(), DEMO_SMPP_SYSTEM_ID,
            "DEMO", password, "", DEMO_SHORT_CODE, 100, 10, 30, false, List.of("880"), 1)));
      }
      // A USSD code on this machine: the simulator's USSD phone dials *123#, and ./sathi simulate plays USSD scripts on it.
      if (config.channels().stream().noneMatch(c -> c instanceof org.sathi.channel.Channels.Ussd)) {
        List<org.sathi.channel.Channels.Channel> withUssd = new ArrayList<>(config.channels());
        withUssd.add(new org.sathi.channel.Channels.Ussd(org.sathi.simulator.UssdPlayer.DEMO_CHANNEL, "africastalking",
            org.sathi.simulator.UssdPlayer.DEMO_CODE, "SATHI_DEMO_USSD_KEY", org.sathi.simulator.UssdPlayer.DEMO_KEY,
            org.sathi.channel.Channels.USSD_MAX_CHARS, org.sathi.channel.Channels.USSD_UNICODE_CHARS, org.sathi.channel.Channels.USSD_DEADLINE_MILLIS,
            List.of("880"), 0));
        config = config.withChannels(withUssd);
      }
      // WhatsApp on the demo's hotline number: the simulator's WhatsApp chat, and ./sathi simulate's whatsapp conversations.
      if (config.whatsApp().isEmpty()) {
        List<org.sathi.channel.Channels.Channel> withWhatsApp = new ArrayList<>(config.channels());
        withWhatsApp.add(new org.sathi.channel.Channels.WhatsApp(org.sathi.channel.Channels.WhatsApp.DEFAULT_NAME,
            org.sathi.channel.whatsapp.WhatsAppAddress.PREFIX + org.sathi.simulator.TwilioPlayer.DEFAULT_HOTLINE, List.of("880"), DEMO_WHATSAPP_TEMPLATE,
            org.sathi.channel.Channels.WhatsApp.MAX_WINDOW_HOURS, 0));
        config = config.withChannels(withWhatsApp);
      }
      // The simulator's phones text through the simulated Twilio, whatever channels: lists.
      if (!config.twilioSms()) {
        List<org.sathi.channel.Channels.Channel> withTwilio = new ArrayList<>(config.channels());
        withTwilio.add(new org.sathi.channel.Channels.Twilio(org.sathi.turn.TextChannel.DEFAULT_TWILIO, List.of(), 0));
        config = config.withChannels(withTwilio);
      }
    } else {
      org.sathi.channel.Channels.Loaded withSecrets = org.sathi.channel.Channels.load(configFile, System.getenv(), true);
      if (!withSecrets.problems().isEmpty()) {
        withSecrets.problems().forEach(System.err::println);
        System.err.println("Sathi did not start: set the channels' secrets above in the environment.");
        return 1;
      }
      List<String> problems = serveProblems(config, configFile);
      if (!problems.isEmpty()) {
        problems.forEach(System.err::println);
        return 1;
      }
    }
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Heap, GC and threads on /metrics: an operator sizing -Xmx (and ./sathi bench) reads them there.
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(metrics);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(metrics);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(metrics);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(metrics);
    SessionStore store;
    RedisConnection redis = null;
    ConversationCodec codec = new ConversationCodec(new Sealer(config.secret()));
    if (demo) {
      store = new MemorySessionStore(config.session().times(), codec, Clock.systemUTC());
    } else {
      if (needsTwilio(config) && (config.server().publicUrl().contains("://localhost") || config.server().publicUrl().contains("://127.0.0.1"))) {
        System.err.println("Warning: SATHI_PUBLIC_URL is " + config.server().publicUrl() + "; Twilio's signatures are made for the public URL,"
            + " so every real webhook will get 403 until you set it to the URL Twilio calls.");
      }
      if (config.server().simulator()) {
        System.err.println("Warning: server.simulator is on: anyone who can reach /simulator/ can text and call the hotline as any number."
            + " Turn it off for a live hotline.");
      }
      if (loaded.referrals().samples() > 0) {
        System.err.println("Warning: " + REFERRALS + " still has sample services (sample: true); officers will see them in the Refer menu."
            + " Replace them with your own verified partners before going live.");
      }
      if (FlowLoader.samples(loaded.bundle()) > 0) {
        System.err.println("Warning: " + DIRECTORY + " still has sample numbers (sample: true); callers abroad will see them."
            + " Verify every number and replace the placeholders before going live.");
      }
      if (!twilioSettings(config.twilio()).isEmpty()) unreachableOfficers(loaded.roster(), config, configFile).forEach(System.err::println);
      redis = new RedisConnection(vertx, config.redis().settings(), metrics);
      redis.start();
      store = new RedisSessionStore(redis, config.session().times(), codec);
    }
    Backends backends;
    Triager triager = Triager.rules(loaded.triage());
    // Pages and officers' replies to a country no channel serves: through Twilio in serve (when it is set up),
    // through the demo's simulated Twilio in demo.
    Config.Twilio t = config.twilio();
    TwilioOutbound outbound = twilioSettings(t).isEmpty()
        ? new TwilioOutbound(t.accountSid(), t.authToken(), t.apiBase(), t.from(), vertx, Duration.ofSeconds(10), 3) : null;
    org.sathi.channel.SmsSender sms = outbound != null ? outbound::sendSms : org.sathi.channel.SmsSender.none();
    org.sathi.duty.Pager pager = outbound != null ? TwilioPager.of(outbound) : (officer, text) -> sms.send(officer.phone(), text).mapEmpty();
    if (demo) {
      MemorySessionStore memory = (MemorySessionStore) store;
      backends = new Backends(memory, new MemoryReportStore(), new MemoryDutyInbox(memory::events, Clock.systemUTC()), pager,
          loaded.roster(), triager, loaded.crosswalk()::map, Durability.none(), org.sathi.console.ConsoleStores.memory(Clock.systemUTC()),
          org.sathi.console.ConsoleEvents.memory(), sms, loaded.referrals(), loaded.replies());
    } else {
      backends = new Backends(store, new RedisReportStore(redis), new RedisDutyInbox(redis), pager,
          loaded.roster(), triager, loaded.crosswalk()::map, Durability.redis(redis, config.redis().acceptDataLoss()),
          org.sathi.console.ConsoleStores.redis(redis, Clock.systemUTC()), org.sathi.console.ConsoleEvents.redis(redis), sms,
          loaded.referrals(), loaded.replies());
    }
    String officerPassword = null;
    String supervisorPassword = null;
    String analystPassword = null;
    String samples = "";
    if (demo) {
      // A demo officer, supervisor and analyst with fresh passwords each run: the console needs someone to log in as.
      officerPassword = randomSecret().substring(0, 20);
      supervisorPassword = randomSecret().substring(0, 20);
      analystPassword = randomSecret().substring(0, 20);
      // Hashed at once, on the password workers: a start-up that waits for one then the other is slower.
      io.vertx.core.Future.all(
          backends.console().accounts().add("officer", org.sathi.console.Officer.Role.OFFICER, officerPassword),
          backends.console().accounts().add("supervisor", org.sathi.console.Officer.Role.SUPERVISOR, supervisorPassword),
          backends.console().accounts().add("analyst", org.sathi.console.Officer.Role.ANALYST, analystPassword)).await(30, TimeUnit.SECONDS);
      if (sampleData) {
        java.time.Instant[] window = org.sathi.simulator.SampleReports.beforeToday(Clock.systemUTC());
        var sample = new org.sathi.simulator.SampleReports(loaded.bundle().languages().enabled().stream().map(l -> l.code()).toList(),
            loaded.outcomes(), triager, loaded.crosswalk()::map).make(org.sathi.simulator.SampleReports.DEMO_COUNT, window[0], window[1],
            org.sathi.simulator.SampleReports.DEMO_SEED);
        int made = org.sathi.simulator.SampleReports.store(backends.reports(), sample, 100).await(30, TimeUnit.SECONDS);
        samples = "\n               Sample data: %d synthetic reports received %s to %s (flagged synthetic); the statistics page shows the ended months and quarters."
            .formatted(made, window[0].toString().substring(0, 10), window[1].minusSeconds(1).toString().substring(0, 10));
      }
    }
    HotlineServer server = new HotlineServer(config, loaded.bundle(), backends, metrics, Clock.systemUTC())
        .withCasework(loaded.outcomes(), loaded.crosswalk());
    if (smsc != null) server.withSimulatedSmsc(smsc, DEMO_SHORT_CODE);
    try {
      vertx.deployVerticle(server).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("Sathi did not start: " + e.getMessage() + ". Is port " + config.server().port() + " free? Set SATHI_PORT to use another.");
      vertx.close();
      return 1;
    }
    int grace = config.server().shutdownGraceSeconds();
    RedisConnection closeRedis = redis;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(grace + 5L, TimeUnit.SECONDS);
        if (closeRedis != null) closeRedis.close();
      } catch (Exception ignored) {
        // Exiting anyway.
      }
    }, "sathi-shutdown"));
    if (demo) {
      System.out.println("""

          Sathi demo is running (in-memory stores and a simulated Twilio: nothing leaves this machine, nothing survives a restart).
            1. Phone:    http://localhost:%1$d/simulator/   pick a country's phone, text "hi" or press the green key to call;
                         "Bangladesh, short code 10921 (SMPP)" texts through a simulated operator's SMSC;
                         a reporter's USSD tab dials %5$s (a USSD gateway's steps, as Africa's Talking sends them),
                         and its WhatsApp tab writes to Sathi on WhatsApp, as its number or as a WhatsApp user id
            2. Console:  http://localhost:%1$d/console/     log in as  officer / %2$s   or  supervisor / %3$s
                         or  analyst / %6$s  (statistics only, never a report)%7$s
               A report you make on the phone appears in the console; the duty officers' phones (pages, calls) are on the phone page too.
            From a terminal: ./sathi sms --from +8801700000001 "hello"    ./sathi call --from +8801700000001 1 2
                             ./sathi simulate --script src/test/resources/simulator/bn-sms.txt   (or bn-ussd.txt, bn-whatsapp.txt)
            Health: http://localhost:%1$d/health/ready   Metrics: http://localhost:%1$d/metrics   Twilio auth token for signing: %4$s
          """.formatted(server.port(), officerPassword, supervisorPassword, config.twilio().authToken(), ussdCode(config), analystPassword, samples));
    }
    return -1;
  }

  /** The code the demo's USSD phone dials: the first USSD channel's. */
  private static String ussdCode(Config config) {
    return config.channels().stream().filter(c -> c instanceof org.sathi.channel.Channels.Ussd).map(c -> ((org.sathi.channel.Channels.Ussd) c).serviceCode())
        .findFirst().orElse(org.sathi.simulator.UssdPlayer.DEMO_CODE);
  }

  static final String SIMULATE_USAGE = "usage: ./sathi simulate --script FILE [--url URL] [--public-url URL] [--token TOKEN]"
      + " [--ussd-channel NAME] [--ussd-code CODE] [--ussd-key KEY]\n"
      + "  scripts: src/test/resources/simulator/; ussd conversations go to /channels/NAME/ussd?key=KEY (default: the demo's "
      + org.sathi.simulator.UssdPlayer.DEMO_CHANNEL + ", " + org.sathi.simulator.UssdPlayer.DEMO_CODE + ", its key; the key also from SATHI_USSD_KEY)";

  /**
   * {@code ./sathi simulate --script FILE [--url URL] [--token T] [--ussd-channel NAME --ussd-code CODE --ussd-key KEY]}:
   * plays a scripted conversation ({@link org.sathi.simulator.SimulatorScript}) against a running Sathi, as Twilio (and, for
   * its {@code ussd} conversations, a USSD gateway) would, prints the transcript, and exits 1 when what came back is not what
   * the script expects. The USSD settings default to the demo's channel; the key also comes from {@code SATHI_USSD_KEY}.
   */
  static int simulate(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
    String url = env.getOrDefault("SATHI_PUBLIC_URL", "http://localhost:" + env.getOrDefault("SATHI_PORT", "8080"));
    String publicUrl = null;
    String token = env.getOrDefault("TWILIO_AUTH_TOKEN", DEMO_AUTH_TOKEN);
    String ussdChannel = org.sathi.simulator.UssdPlayer.DEMO_CHANNEL;
    String ussdCode = org.sathi.simulator.UssdPlayer.DEMO_CODE;
    String ussdKey = env.getOrDefault("SATHI_USSD_KEY", org.sathi.simulator.UssdPlayer.DEMO_KEY);
    String script = null;
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      if (!option.startsWith("--") || i + 1 >= args.size()) {
        out.println(SIMULATE_USAGE);
        return 2;
      }
      String value = args.get(++i);
      switch (option) {
        case "--script" -> script = value;
        case "--url" -> url = value;
        case "--public-url" -> publicUrl = value;
        case "--token" -> token = value;
        case "--ussd-channel" -> ussdChannel = value;
        case "--ussd-code" -> ussdCode = value;
        case "--ussd-key" -> ussdKey = value;
        default -> {
          out.println(SIMULATE_USAGE);
          return 2;
        }
      }
    }
    if (script == null) {
      out.println(SIMULATE_USAGE);
      return 2;
    }
    org.sathi.simulator.SimulatorScript parsed;
    try {
      parsed = org.sathi.simulator.SimulatorScript.parse(script, java.nio.file.Files.readString(Path.of(script)));
    } catch (java.io.IOException e) {
      out.println("Cannot read " + script + ".");
      return 1;
    } catch (org.sathi.simulator.SimulatorScript.Invalid e) {
      out.println(e.getMessage());
      return 1;
    }
    // Signed for the URL Sathi checks signatures against (SATHI_PUBLIC_URL), sent to where it listens (--url).
    if (publicUrl == null) publicUrl = env.getOrDefault("SATHI_PUBLIC_URL", url);
    var player = new org.sathi.simulator.TwilioPlayer(url, publicUrl, token, DEMO_ACCOUNT_SID, org.sathi.simulator.TwilioPlayer.DEFAULT_HOTLINE);
    String sathi = url;
    var ussd = new org.sathi.simulator.UssdPlayer(() -> sathi, ussdChannel, ussdKey, ussdCode);
    try {
      boolean ok = parsed.run(player, player::text, ussd, out);
      out.println(ok ? "OK: the conversation went as " + script + " expects." : "MISMATCH: see the line marked ! above.");
      return ok ? 0 : 1;
    } catch (RuntimeException e) {
      out.println(unreachable(url, e));
      return 1;
    }
  }

  /** {@code ./sathi erase XXXX-XXXX}: erases one report now, on request; an audit entry without content remains. */
  static int erase(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
    if (args.size() != 1 || org.sathi.report.ReferenceCode.parse(args.get(0)).isEmpty()) {
      out.println("usage: ./sathi erase XXXX-XXXX");
      return 2;
    }
    String reference = org.sathi.report.ReferenceCode.parse(args.get(0)).get();
    return onRedis(env, out, "erase " + reference, redis -> {
      boolean erased = new RedisReportStore(redis).erase(reference, "operator", "on request", java.time.Instant.now()).await(10, TimeUnit.SECONDS);
      out.println(erased ? "Erased " + reference + "; the audit log records the erasure, without its content." : "There is no report " + reference + ".");
      return erased ? 0 : 1;
    });
  }

  /** {@code ./sathi officer add|reset|disable}: console accounts in Redis (REDIS_URL). */
  static int officer(List<String> args, Map<String, String> env, java.io.InputStream stdin, PrintStream out) throws Exception {
    return onRedis(env, out, "change the console account", redis ->
        org.sathi.console.OfficerCommand.run(args, org.sathi.console.ConsoleStores.redis(redis, Clock.systemUTC()), Clock.systemUTC(), stdin, out));
  }

  /** One operator command against Redis ({@code REDIS_URL}, config/sathi.yaml): connect, run, close. */
  interface RedisCommand {
    int run(RedisConnection redis) throws Exception;
  }

  private static int onRedis(Map<String, String> env, PrintStream out, String what, RedisCommand command) throws Exception {
    Config config;
    try {
      config = Config.load(CONFIG, env);
    } catch (Config.Invalid e) {
      e.problems.forEach(out::println);
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    RedisConnection redis = new RedisConnection(vertx, config.redis().settings(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    try {
      redis.start().await(10, TimeUnit.SECONDS);
      return command.run(redis);
    } catch (Exception e) {
      out.println("Could not " + what + ": Redis at " + redis.where() + " did not answer. Is REDIS_URL right?");
      return 1;
    } finally {
      redis.close().await(5, TimeUnit.SECONDS);
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  static String randomSecret() {
    byte[] b = new byte[24];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * {@code ./sathi call [--from +E164] [--url URL] [--token T] [STEP ...]}: plays Twilio for one call
   * to a running Sathi ({@link org.sathi.simulator.TwilioPlayer}, as the simulator does) and prints
   * what the caller hears at each step. A step is what a script sends: keys to press, {@code silence},
   * {@code record} (a sample recording), {@code record-nothing}, {@code dial:no-answer} or {@code hangup}.
   */
  static int call(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
    Cli cli = Cli.of(args, env);
    org.sathi.simulator.TwilioPlayer.Call call = cli.player().call(cli.from());
    out.println("> call");
    try {
      org.sathi.simulator.TwilioPlayer.Turn turn = call.dial();
      if (!heard(turn, out)) return 1;
      for (String step : cli.words()) {
        out.println("> " + step);
        try {
          turn = org.sathi.simulator.SimulatorScript.step(call, step);
        } catch (IllegalStateException notNow) {
          out.println("The call is not waiting for '" + step + "' here; it ends after the last step above.");
          return 1;
        }
        if (step.equals("hangup")) {
          out.println("  (the call is over)");
        } else if (!heard(turn, out)) {
          return 1;
        }
      }
      return 0;
    } catch (java.io.IOException e) {
      out.println(unreachable(cli.url(), e));
      return 1;
    }
  }

  /** Prints what a step of a call said and what the call then waits for; false when Sathi refused it. */
  private static boolean heard(org.sathi.simulator.TwilioPlayer.Turn turn, PrintStream out) {
    if (turn.status() != 200) {
      out.println("HTTP " + turn.status() + ": " + turn.twiml().strip());
      return false;
    }
    for (org.sathi.simulator.TwilioPlayer.Heard h : turn.heard()) {
      out.println(h.kind().equals("say") ? "  [" + h.language() + "] " + h.text() : "  (plays " + h.url() + ")");
    }
    out.println(switch (turn.waiting().kind()) {
      case "keys" -> turn.waiting().numDigits() == 1 ? "  ... waits for a key" : "  ... waits for a number and #";
      case "recording" -> "  ... records (say \"record\" to send one)";
      case "dial" -> "  ... rings the officer on call (their number is in config/roster.yaml); say dial:no-answer or dial:completed";
      default -> "  ... hangs up";
    });
    return true;
  }

  /** {@code ./sathi sms [--from +E164] [--url URL] [--token T] TEXT}: one signed SMS to a running Sathi; prints the reply. */
  static int sms(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
    Cli cli = Cli.of(args, env);
    try {
      String body = String.join(" ", cli.words());
      if (cli.channel() != null && !cli.channel().equals("twilio") && !cli.channel().equals("sms")) {
        out.println(String.join("\n---\n", viaSimulatedSmsc(cli, body)));
        return 0;
      }
      out.println(String.join("\n---\n", cli.player().text(cli.from(), body)));
      return 0;
    } catch (java.io.IOException e) {
      out.println(unreachable(cli.url(), e));
      return 1;
    }
  }

  /**
   * {@code ./sathi sms --channel NAME}: the text goes in through the demo's simulated SMSC, as a
   * phone on an operator's network sends it, and the reply is what Sathi submitted back over SMPP.
   */
  private static List<String> viaSimulatedSmsc(Cli cli, String body) throws java.io.IOException, InterruptedException {
    var http = java.net.http.HttpClient.newHttpClient();
    String json = new io.vertx.core.json.JsonObject().put("from", cli.from()).put("body", body).put("via", "smpp").encode();
    var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cli.url() + "/simulator/api/sms"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      throw new java.io.IOException("no simulated SMSC there: --channel works against ./sathi demo, whose channel " + DEMO_SMPP_CHANNEL
          + " is short code " + DEMO_SHORT_CODE);
    }
    if (response.statusCode() != 200) throw new java.io.IOException("the simulator answered HTTP " + response.statusCode());
    return new io.vertx.core.json.JsonObject(response.body()).getJsonArray("replies").stream().map(String::valueOf).toList();
  }

  /** Why a command could not talk to Sathi, and what to check. */
  private static String unreachable(String url, Exception e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "Cannot reach Sathi at " + url + " (" + why + "). Is ./sathi demo running? (set --url or SATHI_PORT)";
  }

  /** What {@code sms} and {@code call} are told: the phone, where Sathi is, the token to sign with, and the rest. */
  record Cli(String from, String url, String token, List<String> words, String channel) {
    static Cli of(List<String> args, Map<String, String> env) {
      String from = "+447700900123";
      String url = env.getOrDefault("SATHI_PUBLIC_URL", "http://localhost:" + env.getOrDefault("SATHI_PORT", "8080"));
      String token = env.getOrDefault("TWILIO_AUTH_TOKEN", DEMO_AUTH_TOKEN);
      List<String> words = new ArrayList<>();
      String channel = null;
      for (int i = 0; i < args.size(); i++) {
        switch (args.get(i)) {
          case "--channel" -> channel = args.get(++i);
          case "--from" -> from = args.get(++i);
          case "--url" -> url = args.get(++i);
          case "--token" -> token = args.get(++i);
          default -> words.add(args.get(i));
        }
      }
      if (channel != null && from.equals("+447700900123")) from = "+8801800000001";
      return new Cli(from, url, token, words, channel);
    }

    org.sathi.simulator.TwilioPlayer player() {
      return new org.sathi.simulator.TwilioPlayer(url, url, token, DEMO_ACCOUNT_SID, org.sathi.simulator.TwilioPlayer.DEFAULT_HOTLINE);
    }
  }
}
