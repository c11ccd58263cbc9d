package org.sathi.channel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.config.ConfigFile;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.turn.TextChannel;

/**
 * The {@code channels:} of {@code config/sathi.yaml}: how texts reach the hotline (Twilio, an
 * operator's SMSC over SMPP, a Kannel gateway, WhatsApp through Twilio). Validated like the flows, with {@code file:line}
 * for every problem. Secrets are never in the file: each entry names the environment variable
 * that holds its password ({@code passwordEnv}) or its endpoint key ({@code secretEnv}). Without
 * {@code channels:} the hotline is Twilio only, as it always was.
 */
public final class Channels {
  private Channels() {}

  /** One configured channel. {@code countries}: the calling codes it serves (replies and pages to them leave through it). */
  public sealed interface Channel {
    String name();

    List<String> countries();

    int line();
  }

  public record Twilio(String name, List<String> countries, int line) implements Channel {}

  /** @param password read from the environment variable {@code passwordEnv}; null when it is not set */
  public record Smpp(String name, String host, int port, String systemId, String passwordEnv, String password, String systemType,
      String sourceAddress, int throughput, int window, int enquireLinkSeconds, boolean packed, List<String> countries, int line)
      implements Channel {}

  /** @param secret the key Kannel's smsbox calls Sathi with, from {@code secretEnv}; null when not set */
  public record Kannel(String name, String sendsmsUrl, String username, String passwordEnv, String password, String sourceAddress,
      String secretEnv, String secret, List<String> countries, int line) implements Channel {}

  /**
   * A USSD gateway (Africa's Talking's layout) as a channel: it calls {@code /channels/{name}/ussd?key=SECRET}.
   *
   * @param secret       the key it calls with, from {@code secretEnv}; null when not set
   * @param screenChars  the longest screen in GSM-7 characters (USSD carries 182)
   * @param unicodeScreenChars the longest screen in a script that needs UCS-2, in UTF-16 units
   * @param deadlineMillis a step answers within this, with the polite fallback when it could not be saved in time
   * @param countries    the calling codes of its callers: a national number ({@code 01...}) is read as the first one's
   */
  public record Ussd(String name, String format, String serviceCode, String secretEnv, String secret, int screenChars, int unicodeScreenChars,
      int deadlineMillis, List<String> countries, int line) implements Channel {}

  /**
   * A sender's number as an operator's gateway gives it, in E.164: international ({@code +8801...},
   * {@code 008801...}, {@code 8801...}), or national ({@code 01...}) read as the first of the channel's
   * {@code countries}; null when it is no phone number.
   */
  public static String e164(String address, List<String> countries) {
    if (address == null) return null;
    String a = address.strip();
    String digits = a.replaceFirst("^\\+|^00", "");
    if (!digits.matches("\\d{4,15}")) return null;
    String number = a.startsWith("0") && !a.startsWith("00") && !countries.isEmpty()
        ? "+" + countries.get(0) + digits.substring(1) : "+" + digits;
    return org.sathi.privacy.CallerKey.E164.matcher(number).matches() ? number : null;
  }

  /** USSD carries at most 182 characters a screen (3GPP TS 23.038, 7-bit); gateways often fewer for other scripts. */
  public static final int USSD_MAX_CHARS = org.sathi.flow.Limits.USSD_SCREEN_CHARS;
  public static final int USSD_UNICODE_CHARS = org.sathi.flow.Limits.USSD_UNICODE_SCREEN_CHARS;
  /** Gateways drop a session that waits about 5 to 10 s; a step answers well within that. */
  public static final int USSD_DEADLINE_MILLIS = 900;

  /**
   * WhatsApp through Twilio: messages arrive on Twilio's SMS webhook from {@code whatsapp:} addresses
   * and replies leave from {@code from}. Its countries are not an SMS route: {@code countries.get(0)}
   * is the country of a sender who shows no phone number (a business-scoped user id), and every one
   * needs its numbers, as any channel's.
   *
   * @param from               the hotline's WhatsApp sender, {@code whatsapp:+E164}
   * @param templateContentSid the pre-approved template ({@code HX...}) that invites a reporter to write back
   *                           once WhatsApp's customer-service window has closed; null when there is none
   * @param windowHours        WhatsApp's customer-service window: free text to a user within this many
   *                           hours of their latest message, only the template after
   */
  public record WhatsApp(String name, String from, List<String> countries, String templateContentSid, int windowHours, int line)
      implements Channel {
    /** The name of a whatsapp entry that gives none: what reports show. */
    public static final String DEFAULT_NAME = "whatsapp";
    /** WhatsApp's customer-service window; a shorter one may be configured, never a longer one. */
    public static final int MAX_WINDOW_HOURS = 24;

    /** The calling code of senders who show no phone number. */
    public String defaultCountry() {
      return countries.get(0);
    }
  }

  public record Loaded(List<Channel> channels, List<Problem> problems) {
    /** The name of the Twilio text channel: the entry's, or {@code sms} when no channels are configured. */
    public String twilioName() {
      return channels.stream().filter(c -> c instanceof Twilio).map(Channel::name).findFirst().orElse(TextChannel.DEFAULT_TWILIO);
    }

    public boolean twilio() {
      return channels.isEmpty() || channels.stream().anyMatch(c -> c instanceof Twilio);
    }

    public <T extends Channel> List<T> of(Class<T> type) {
      return channels.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Calling code -> the channel that serves it, for {@code validate}'s check that each has numbers. */
    public Map<String, String> served() {
      Map<String, String> out = new LinkedHashMap<>();
      for (Channel c : channels) for (String cc : c.countries()) out.putIfAbsent(cc, "channel " + c.name() + " (config/sathi.yaml channels:)");
      return out;
    }
  }

  /** SMPP 3.4 (§5.2.1): system_id at most 15 characters, password at most 8. */
  public static final int MAX_SYSTEM_ID = 15;
  public static final int MAX_PASSWORD = 8;

  static final Set<String> COMMON = Set.of("name", "type", "countries");
  /** The channel types a {@code channels:} entry can name. */
  static final String TYPES = "twilio, smpp, kannel, ussd, whatsapp";
  static final Set<String> SMPP = Set.of("host", "port", "systemId", "passwordEnv", "systemType", "sourceAddress", "throughput", "window",
      "enquireLinkSeconds", "packed");
  static final Set<String> WHATSAPP = Set.of("from", "templateContentSid", "windowHours");
  static final Set<String> KANNEL = Set.of("sendsmsUrl", "username", "passwordEnv", "sourceAddress", "secretEnv");
  static final Set<String> USSD = Set.of("format", "serviceCode", "secretEnv", "screenChars", "unicodeScreenChars", "deadlineMillis");
  /** The request layouts of USSD gateways that Sathi reads. */
  static final List<String> USSD_FORMATS = List.of("africastalking");

  /**
   * @param requireSecrets {@code serve}: a variable that {@code passwordEnv} or {@code secretEnv} names must be set.
   *                       {@code validate} only notes it, so flows can be checked without the secrets.
   */
  public static Loaded load(Path file, Map<String, String> env, boolean requireSecrets) {
    if (file == null || !Files.exists(file)) return new Loaded(List.of(), List.of());
    ConfigFile f = new ConfigFile(file);
    List<Channel> channels = new ArrayList<>();
    Mapping root = f.read(file);
    if (root == null) return new Loaded(List.of(), f.problems);
    YamlTree list = root.get("channels");
    if (list == null || list instanceof Scalar s && s.value() == null) return new Loaded(List.of(), f.problems);
    if (!(list instanceof Sequence seq)) {
      f.problem(f.lineOf(root, "channels"), "'channels' must be a list of channels, each with a name and a type (" + TYPES + ")");
      return new Loaded(List.of(), f.problems);
    }
    Map<String, Integer> names = new LinkedHashMap<>();
    Map<String, String> countryOwner = new LinkedHashMap<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping m)) {
        f.problem(item.line(), "each channel is a mapping with a name and a type");
        continue;
      }
      Channel c = channel(f, m, env, requireSecrets);
      if (c == null) continue;
      if (names.containsKey(c.name())) {
        f.problem(m.line(), "channel name '" + c.name() + "' is used twice (first on line " + names.get(c.name()) + ")");
        continue;
      }
      names.put(c.name(), m.line());
      // Only an operator's SMS channel is the SMS route of its countries: Twilio and WhatsApp answer wherever the sender is,
      // and a USSD code sends nothing (it shares its callers' country with the SMS channel that answers them).
      if (!(c instanceof Twilio || c instanceof WhatsApp || c instanceof Ussd)) {
        for (String cc : c.countries()) {
          String owner = countryOwner.putIfAbsent(cc, c.name());
          if (owner != null) f.problem(f.lineOf(m, "countries"), "calling code " + cc + " is served by both " + owner + " and " + c.name()
              + "; replies to a number must leave on one channel");
        }
      }
      channels.add(c);
    }
    if (channels.stream().filter(c -> c instanceof Twilio).count() > 1) f.problem(seq.line(), "at most one twilio channel");
    if (channels.stream().filter(c -> c instanceof WhatsApp).count() > 1) {
      f.problem(seq.line(), "at most one whatsapp channel: WhatsApp arrives on Twilio's one SMS webhook");
    }
    return new Loaded(List.copyOf(channels), f.problems);
  }

  private static Channel channel(ConfigFile f, Mapping m, Map<String, String> env, boolean requireSecrets) {
    String type = f.string(m, "type", true);
    boolean whatsApp = "whatsapp".equals(type);
    String name = whatsApp && m.get("name") == null ? WhatsApp.DEFAULT_NAME : f.string(m, "name", true);
    if (name != null && !name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      f.problem(f.lineOf(m, "name"), "channel name '" + name + "' must be lower-case letters, digits and '-' (it appears in URLs and metrics)");
      name = null;
    }
    if (m.get("password") != null || m.get("secret") != null) {
      f.problem(f.lineOf(m, m.get("password") != null ? "password" : "secret"),
          "a secret does not belong in a file; name the environment variable that holds it (passwordEnv, secretEnv)");
    }
    if (type == null) return null;
    List<String> countries = countries(f, m, !type.equals("twilio"));
    return switch (type) {
      case "twilio" -> {
        f.allowOnly(m, COMMON);
        yield name == null ? null : new Twilio(name, countries, m.line());
      }
      case "smpp" -> smpp(f, m, name, countries, env, requireSecrets);
      case "kannel" -> kannel(f, m, name, countries, env, requireSecrets);
      case "ussd" -> ussd(f, m, name, countries, env, requireSecrets);
      case "whatsapp" -> whatsApp(f, m, name, countries);
      default -> {
        f.problem(f.lineOf(m, "type"), "unknown channel type '" + type + "'; known: " + TYPES);
        yield null;
      }
    };
  }

  private static Channel smpp(ConfigFile f, Mapping m, String name, List<String> countries, Map<String, String> env, boolean requireSecrets) {
    f.allowOnly(m, union(COMMON, SMPP));
    String host = f.string(m, "host", true);
    Integer port = f.integer(m, "port", true, 1, 65535);
    String systemId = f.string(m, "systemId", true);
    if (systemId != null && systemId.length() > MAX_SYSTEM_ID) {
      f.problem(f.lineOf(m, "systemId"), "an SMPP system id is at most " + MAX_SYSTEM_ID + " characters");
    }
    String passwordEnv = f.string(m, "passwordEnv", true);
    String password = secret(f, m, "passwordEnv", passwordEnv, env, requireSecrets);
    if (password != null && password.length() > MAX_PASSWORD) {
      f.problem(f.lineOf(m, "passwordEnv"), passwordEnv + " holds " + password.length() + " characters; an SMPP password is at most "
          + MAX_PASSWORD + " (SMPP 3.4), so the SMSC would refuse the bind");
    }
    String systemType = m.get("systemType") == null ? "" : f.string(m, "systemType", false);
    String source = sourceAddress(f, m);
    Integer throughput = m.get("throughput") == null ? Integer.valueOf(10) : f.integer(m, "throughput", false, 1, 1000);
    Integer window = m.get("window") == null ? Integer.valueOf(10) : f.integer(m, "window", false, 1, 100);
    Integer enquire = m.get("enquireLinkSeconds") == null ? Integer.valueOf(30) : f.integer(m, "enquireLinkSeconds", false, 5, 300);
    boolean packed = m.get("packed") instanceof Scalar p && "true".equals(p.value());
    if (name == null || host == null || port == null || systemId == null || passwordEnv == null || source == null || throughput == null
        || window == null || enquire == null) {
      return null;
    }
    return new Smpp(name, host, port, systemId, passwordEnv, password, systemType == null ? "" : systemType, source, throughput, window,
        enquire, packed, countries, m.line());
  }

  private static Channel kannel(ConfigFile f, Mapping m, String name, List<String> countries, Map<String, String> env, boolean requireSecrets) {
    f.allowOnly(m, union(COMMON, KANNEL));
    String url = f.string(m, "sendsmsUrl", true);
    if (url != null && !url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      f.problem(f.lineOf(m, "sendsmsUrl"), "'sendsmsUrl' must be Kannel's sendsms address, such as http://kannel.internal:13013/cgi-bin/sendsms");
      url = null;
    }
    String username = f.string(m, "username", true);
    String passwordEnv = f.string(m, "passwordEnv", true);
    String password = secret(f, m, "passwordEnv", passwordEnv, env, requireSecrets);
    String secretEnv = f.string(m, "secretEnv", true);
    String secret = secret(f, m, "secretEnv", secretEnv, env, requireSecrets);
    if (secret != null && secret.length() < 16) {
      f.problem(f.lineOf(m, "secretEnv"), secretEnv + " must hold at least 16 characters: it is the key that guards /channels/" + name + "/kannel");
    }
    String source = sourceAddress(f, m);
    if (name == null || url == null || username == null || passwordEnv == null || secretEnv == null || source == null) return null;
    return new Kannel(name, url, username, passwordEnv, password, source, secretEnv, secret, countries, m.line());
  }

  private static Channel ussd(ConfigFile f, Mapping m, String name, List<String> countries, Map<String, String> env, boolean requireSecrets) {
    f.allowOnly(m, union(COMMON, USSD));
    String format = m.get("format") == null ? USSD_FORMATS.get(0) : f.string(m, "format", false);
    if (format != null && !USSD_FORMATS.contains(format)) {
      f.problem(f.lineOf(m, "format"), "unknown USSD format '" + format + "'; known: " + String.join(", ", USSD_FORMATS)
          + " (sessionId, serviceCode, phoneNumber, text joined with *; answered CON or END)");
      format = null;
    }
    String code = f.string(m, "serviceCode", true);
    if (code != null && !code.matches("\\*[0-9]{1,6}(\\*[0-9]{1,6})*#")) {
      f.problem(f.lineOf(m, "serviceCode"), "'serviceCode' must be the code callers dial, such as \"*16430#\" (in quotes: # starts a YAML comment)");
      code = null;
    }
    String secretEnv = f.string(m, "secretEnv", true);
    String secret = secret(f, m, "secretEnv", secretEnv, env, requireSecrets);
    if (secret != null && secret.length() < 16) {
      f.problem(f.lineOf(m, "secretEnv"), secretEnv + " must hold at least 16 characters: it is the key that guards /channels/" + name + "/ussd");
    }
    Integer screen = m.get("screenChars") == null ? Integer.valueOf(USSD_MAX_CHARS) : f.integer(m, "screenChars", false, 40, USSD_MAX_CHARS);
    Integer unicode = m.get("unicodeScreenChars") == null ? Integer.valueOf(USSD_UNICODE_CHARS)
        : f.integer(m, "unicodeScreenChars", false, 40, USSD_MAX_CHARS);
    Integer deadline = m.get("deadlineMillis") == null ? Integer.valueOf(USSD_DEADLINE_MILLIS)
        : f.integer(m, "deadlineMillis", false, 300, 5000);
    if (name == null || format == null || code == null || secretEnv == null || screen == null || unicode == null || deadline == null) return null;
    return new Ussd(name, format, code, secretEnv, secret, screen, unicode, deadline, countries, m.line());
  }

  private static Channel whatsApp(ConfigFile f, Mapping m, String name, List<String> countries) {
    f.allowOnly(m, union(COMMON, WHATSAPP));
    String from = f.string(m, "from", true);
    if (from != null && !from.matches("whatsapp:\\+[1-9]\\d{6,14}")) {
      f.problem(f.lineOf(m, "from"), "'from' must be the hotline's WhatsApp sender: whatsapp: and its number in E.164, such as"
          + " whatsapp:+8809610000000");
      from = null;
    }
    boolean hasTemplate = m.get("templateContentSid") != null;
    String template = hasTemplate ? f.string(m, "templateContentSid", true) : null;
    if (template != null && !template.matches("HX[0-9a-fA-F]{32}")) {
      f.problem(f.lineOf(m, "templateContentSid"), "'templateContentSid' must be the Content SID of an approved WhatsApp template in Twilio's"
          + " Content Template Builder: HX followed by 32 hex digits");
      template = null;
    }
    Integer hours = m.get("windowHours") == null ? Integer.valueOf(WhatsApp.MAX_WINDOW_HOURS)
        : f.integer(m, "windowHours", false, 1, WhatsApp.MAX_WINDOW_HOURS);
    if (name == null || from == null || hasTemplate && template == null || hours == null || countries.isEmpty()) return null;
    return new WhatsApp(name, from, countries, template, hours, m.line());
  }

  private static String sourceAddress(ConfigFile f, Mapping m) {
    String source = f.string(m, "sourceAddress", true);
    if (source != null && !source.matches("\\+?\\d{3,15}|[A-Za-z0-9 ]{1,11}")) {
      f.problem(f.lineOf(m, "sourceAddress"), "'sourceAddress' must be the short code or number callers text (digits), or a sender name of"
          + " up to 11 letters");
      return null;
    }
    return source;
  }

  private static String secret(ConfigFile f, Mapping m, String field, String variable, Map<String, String> env, boolean required) {
    if (variable == null) return null;
    if (!variable.matches("[A-Z][A-Z0-9_]*")) {
      f.problem(f.lineOf(m, field), "'" + field + "' names an environment variable, such as SMPP_BD_PASSWORD");
      return null;
    }
    String value = env.get(variable);
    if ((value == null || value.isEmpty()) && required) {
      f.problem(f.lineOf(m, field), "the environment variable " + variable + " is not set; set it to this channel's secret");
    }
    return value == null || value.isEmpty() ? null : value;
  }

  private static List<String> countries(ConfigFile f, Mapping m, boolean required) {
    List<Scalar> list = f.texts(m, "countries");
    if (list == null) {
      if (required) f.problem(m.line(), "missing 'countries': the calling codes this channel serves, such as [\"880\"]");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Scalar s : list) {
      if (s.value().matches("[1-9]\\d{0,3}")) out.add(s.value());
      else f.problem(s.line(), "'" + s.value() + "' is not a calling code; write it without +, such as \"880\"");
    }
    if (required && out.isEmpty() && list.isEmpty()) f.problem(f.lineOf(m, "countries"), "'countries' must name at least one calling code");
    return List.copyOf(out);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.Set<String> u = new java.util.HashSet<>(a);
    u.addAll(b);
    return u;
  }
}
