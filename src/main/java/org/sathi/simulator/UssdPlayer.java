package org.sathi.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A phone dialling a USSD code, as Africa's Talking's gateway carries it: each step is a form POST
 * to {@code /channels/{name}/ussd?key=KEY} with {@code sessionId}, {@code serviceCode},
 * {@code phoneNumber}, {@code networkCode} and {@code text}, every input of the session so far
 * joined with {@code *}. The answer is {@code CON <screen>} or {@code END <screen>}.
 *
 * <p>As {@link SimulatorScript.Texts} it plays a script written for SMS: the conversation's first
 * text dials the code (the greeting an SMS needs is the dial itself), a text after the session
 * ended dials again and then types it, and a long reply is read to its end with {@code 98}. A line
 * that a screen cut is read as the caller reads it, across the two screens.
 */
public final class UssdPlayer implements SimulatorScript.Texts {
  /** The code the simulator's phones dial. */
  public static final String DEMO_CODE = "*123#";
  /** The demo's USSD channel, which {@code ./sathi simulate} plays USSD conversations on by default. */
  public static final String DEMO_CHANNEL = "demo-ussd";
  /**
   * The demo's USSD key: fixed, as the demo's Twilio token is, so that {@code ./sathi simulate} reaches
   * {@code ./sathi demo} without flags. It guards nothing the demo's simulator does not already open
   * (anyone who reaches the demo can text and call it as any number); a real channel's key comes from
   * the environment variable its {@code secretEnv} names.
   */
  public static final String DEMO_KEY = "demo-ussd-key";
  /** What the SMS scripts send first; on USSD the dial takes its place. */
  static final String GREETING = "hi";

  /** One screen as the gateway got it: the HTTP status and the body ({@code CON ...} or {@code END ...}). */
  public record Screen(int status, String body) {
    public boolean ended() {
      return status != 200 || body.startsWith("END ");
    }

    /** The screen without its {@code CON}/{@code END}. */
    public String text() {
      return body.startsWith("CON ") || body.startsWith("END ") ? body.substring(4) : body;
    }

    public List<String> lines() {
      return Arrays.asList(text().split("\n"));
    }

    public boolean hasMore() {
      return !ended() && lines().stream().anyMatch(l -> l.startsWith("98. "));
    }
  }

  /** An open session of one phone. */
  private record Session(String id, String text) {}

  private final Supplier<String> base;
  private final String channel;
  private final String key;
  private final String serviceCode;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Session> open = new ConcurrentHashMap<>();

  public UssdPlayer(Supplier<String> sathiBaseUrl, String channel, String key, String serviceCode) {
    this.base = sathiBaseUrl;
    this.channel = channel;
    this.key = key;
    this.serviceCode = serviceCode;
  }

  /** Dials the code: a new session, its first screen. */
  public Screen dial(String phone) throws IOException, InterruptedException {
    Session s = new Session("ATUid_" + UUID.randomUUID().toString().replace("-", ""), "");
    open.put(phone, s);
    return step(phone, s, "");
  }

  /** Types an answer in the phone's open session (dials first when none is open). */
  public Screen type(String phone, String input) throws IOException, InterruptedException {
    Session s = open.get(phone);
    if (s == null) {
      dial(phone);
      s = open.get(phone);
    }
    String text = s.text().isEmpty() ? input : s.text() + "*" + input;
    Session next = new Session(s.id(), text);
    open.put(phone, next);
    return step(phone, next, text);
  }

  /** The gateway drops the session (it timed out, or the phone left it): the next input dials again. */
  public void cut(String phone) {
    open.remove(phone);
  }

  /** Whether the phone has a session open. */
  public boolean inSession(String phone) {
    return open.containsKey(phone);
  }

  /** One step exactly as a gateway sends it: for retries and for checks of what a step changes. */
  public Screen send(String sessionId, String phone, String text, String withKey) throws IOException, InterruptedException {
    String form = "sessionId=" + enc(sessionId) + "&serviceCode=" + enc(serviceCode) + "&phoneNumber=" + enc(phone) + "&networkCode=47001"
        + "&text=" + enc(text);
    HttpRequest request = HttpRequest.newBuilder(URI.create(base.get() + "/channels/" + channel + "/ussd?key=" + enc(withKey)))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Screen(r.statusCode(), r.body());
  }

  private Screen step(String phone, Session s, String text) throws IOException, InterruptedException {
    Screen screen = send(s.id(), phone, text, key);
    if (screen.ended()) open.remove(phone);
    return screen;
  }

  /** The session id the phone is in, or null. */
  public String sessionOf(String phone) {
    Session s = open.get(phone);
    return s == null ? null : s.id();
  }

  /** The session's input so far, as the gateway sends it. */
  public String textOf(String phone) {
    Session s = open.get(phone);
    return s == null ? null : s.text();
  }

  @Override
  public List<String> text(String from, String body) throws IOException, InterruptedException {
    List<Screen> screens = new ArrayList<>();
    if (!inSession(from)) {
      screens.add(dial(from));
      if (!body.equals(GREETING) && !screens.get(0).ended()) screens = new ArrayList<>(List.of(type(from, body)));
    } else {
      screens.add(type(from, body));
    }
    while (screens.get(screens.size() - 1).hasMore()) screens.add(type(from, "98"));
    return List.of(String.join("\n", read(screens)));
  }

  /**
   * The lines of a reply's screens, without the paging keys ({@code 98. More} and the {@code 0. Back}
   * after it), and at each boundary also the line that runs across it (the end of one screen and the
   * start of the next, joined): the caller reads a line cut by a screen as one.
   */
  static List<String> read(List<Screen> screens) {
    List<String> out = new ArrayList<>();
    String carry = null;
    for (Screen s : screens) {
      List<String> lines = s.lines();
      int more = lines.indexOf(lines.stream().filter(l -> l.startsWith("98. ")).findFirst().orElse(null));
      List<String> content = more >= 0 ? lines.subList(0, more) : lines;
      for (int i = 0; i < content.size(); i++) {
        String line = content.get(i);
        String joined = i == 0 && carry != null ? carry + " " + line : null;
        if (joined != null) out.add(joined);
        out.add(line);
        carry = joined != null && content.size() == 1 ? joined : line;
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
