package org.sathi.simulator;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.sathi.channel.twilio.Signature;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Plays Twilio against a running Sathi: texts and calls from a phone, as signed webhooks with the
 * fields Twilio sends, and follows the TwiML that comes back as Twilio would. {@code <Message>} is
 * what the phone shows; {@code <Say>} and {@code <Play>} are what the caller hears; {@code <Gather>}
 * waits for keys (nothing pressed is {@code Digits=""}, since Sathi asks for {@code actionOnEmptyResult});
 * {@code <Record>} waits for a recording; {@code <Redirect>} is followed at once; {@code <Dial>}
 * rings a number and waits for how that ended; {@code <Hangup>}, or the end of the document, ends the call.
 *
 * <p>One class for the phone simulator's page, {@code ./sathi simulate}, and the tests. It blocks
 * (java.net.http): call it from a worker or virtual thread, never from an event loop.
 */
public final class TwilioPlayer {
  /** The number Sathi is reached on in the simulator and the demo. */
  public static final String DEFAULT_HOTLINE = "+15005550006";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Something the caller hears: a Say (text, language, voice) or a Play (url). */
  public record Heard(String kind, String text, String language, String voice, String url) {
    /** {@code [bn-IN] text} for a Say, {@code play URL} for a Play. */
    public String line() {
      return kind.equals("say") ? "[" + language + "] " + text : "play " + url;
    }
  }

  /**
   * What the call waits for after the TwiML was played: {@code keys} (a Gather), {@code recording}
   * (a Record), {@code dial} (a Dial ringing {@code number}), or {@code nothing} (the call is over).
   */
  public record Waiting(String kind, int numDigits, int timeoutSeconds, String finishOnKey, int maxLength, String action, String number,
      String screenUrl) {
    static final Waiting NOTHING = new Waiting("nothing", 0, 0, "", 0, null, null, null);
  }

  /** One exchange: the TwiML as sent, what the caller heard (across redirects), what the call waits for. */
  public record Turn(int status, String twiml, List<Heard> heard, Waiting waiting, long millis) {
    public boolean over() {
      return waiting.kind().equals("nothing");
    }

    /** What was heard, a line each. */
    public String text() {
      return heard.stream().map(Heard::line).collect(Collectors.joining("\n"));
    }
  }

  private final java.util.function.Supplier<String> target;
  private final String publicUrl;
  private final Signature signature;
  private final String accountSid;
  private final String hotline;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param target    where Sathi listens, such as {@code http://127.0.0.1:8080}
   * @param publicUrl the URL Sathi's TwiML names and its signatures are checked against (SATHI_PUBLIC_URL)
   * @param authToken the Twilio auth token Sathi checks signatures with
   * @param hotline   the hotline's number: what Twilio sends as {@code To}
   */
  public TwilioPlayer(String target, String publicUrl, String authToken, String accountSid, String hotline) {
    this(() -> target, publicUrl, authToken, accountSid, hotline);
  }

  /** With where Sathi listens known only once it does (a server on port 0). */
  public TwilioPlayer(java.util.function.Supplier<String> target, String publicUrl, String authToken, String accountSid, String hotline) {
    this.target = () -> strip(target.get());
    this.publicUrl = strip(publicUrl);
    this.signature = new Signature(authToken);
    this.accountSid = accountSid;
    this.hotline = hotline;
  }

  private static String strip(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public String hotline() {
    return hotline;
  }

  static String sid(String prefix) {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  /** Texts the hotline from {@code from}: the text of each {@code <Message>} of the reply. Fails on anything but 200. */
  public List<String> text(String from, String body) throws IOException, InterruptedException {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("AccountSid", accountSid);
    f.put("MessageSid", sid("SM"));
    f.put("From", from);
    f.put("To", hotline);
    f.put("Body", body);
    f.put("NumMedia", "0");
    return replies(f);
  }

  /** A name a WhatsApp profile shows, sent with every WhatsApp message so tests can look for it where it must never be. */
  public static final String PROFILE_NAME = "Profile Nameshown";

  /**
   * Writes to the hotline on WhatsApp, as Twilio posts it: from {@code whatsapp:} and {@code from}, a
   * number in E.164 (with {@code WaId}, its digits) or a WhatsApp user id (with {@code ExternalUserId}),
   * to the hotline's WhatsApp sender, with the profile's name. The text of each {@code <Message>} of the reply.
   */
  public List<String> whatsApp(String from, String body) throws IOException, InterruptedException {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("AccountSid", accountSid);
    f.put("MessageSid", sid("SM"));
    f.put("From", "whatsapp:" + from);
    f.put("To", "whatsapp:" + hotline);
    f.put("Body", body);
    f.put("NumMedia", "0");
    f.put("ProfileName", PROFILE_NAME);
    if (from.startsWith("+")) f.put("WaId", from.substring(1));
    else f.put("ExternalUserId", from);
    f.put("MessageType", "text");
    return replies(f);
  }

  private List<String> replies(Map<String, String> fields) throws IOException, InterruptedException {
    Answer a = post(publicUrl + "/twilio/sms", fields);
    if (a.status() != 200) throw new IOException("Sathi answered HTTP " + a.status() + " to a text: " + a.body().strip());
    return messages(a.body());
  }

  /** The text of each {@code <Message>} of an SMS reply, as the phone shows it. */
  public static List<String> messages(String twiml) throws IOException {
    List<String> messages = new ArrayList<>();
    var list = parse(twiml).getElementsByTagName("Message");
    for (int i = 0; i < list.getLength(); i++) messages.add(list.item(i).getTextContent());
    return messages;
  }

  /** A new call from {@code from}; nothing is sent until {@link Call#dial}. */
  public Call call(String from) {
    return new Call(from, sid("CA"));
  }

  /** A call under way; each step posts to the action the last TwiML named. */
  public class Call {
    private final String from;
    private final String sid;
    private Turn last;
    private boolean ended;
    private final long started = System.nanoTime();

    Call(String from, String sid) {
      this.from = from;
      this.sid = sid;
    }

    public String sid() {
      return sid;
    }

    public String from() {
      return from;
    }

    public Turn last() {
      return last;
    }

    public boolean ended() {
      return ended;
    }

    /** The call rings: {@code POST /twilio/voice}. */
    public Turn dial() throws IOException, InterruptedException {
      return play(publicUrl + "/twilio/voice", fields("ringing"));
    }

    /** Keys pressed at the waiting {@code <Gather>}; Twilio leaves out the finishing key. Empty: nothing pressed until it timed out. */
    public Turn press(String digits) throws IOException, InterruptedException {
      Waiting w = expect("keys");
      Map<String, String> f = fields("in-progress");
      f.put("Digits", digits);
      if (!digits.isEmpty()) f.put("FinishedOnKey", "");
      return play(w.action(), f);
    }

    public Turn silence() throws IOException, InterruptedException {
      return press("");
    }

    /** The caller speaks at the waiting {@code <Record>} and presses #: Twilio stores it and sends its URL. */
    public Turn record(String recordingUrl, int seconds) throws IOException, InterruptedException {
      return play(expect("recording").action(), recording(recordingUrl, seconds, "#"));
    }

    /** The caller hangs up while recording: Twilio still sends the recording, then the call's end. */
    public Turn hangUpWhileRecording(String recordingUrl, int seconds) throws IOException, InterruptedException {
      Turn t = play(expect("recording").action(), recording(recordingUrl, seconds, "hangup"));
      ended = true;
      return t;
    }

    /** Nothing said at the waiting {@code <Record>}: Twilio goes on with the verbs after it (Sathi's {@code <Redirect>}). */
    public Turn recordNothing() throws IOException, InterruptedException {
      expect("recording");
      Element redirect = first(parse(last.twiml()), "Redirect");
      if (redirect == null) return finish(new Turn(200, last.twiml(), List.of(), Waiting.NOTHING, 0));
      return play(redirect.getTextContent().strip(), fields("in-progress"));
    }

    /** The {@code <Dial>} ended: {@code completed}, {@code no-answer}, {@code busy}, {@code failed}. */
    public Turn dialEnded(String dialCallStatus) throws IOException, InterruptedException {
      return dialEnded(dialCallStatus, null);
    }

    /** The same, saying whether the two were put through ({@code DialBridged}); null leaves it out. */
    public Turn dialEnded(String dialCallStatus, Boolean bridged) throws IOException, InterruptedException {
      Waiting w = expect("dial");
      Map<String, String> f = fields("in-progress");
      f.put("DialCallStatus", dialCallStatus);
      if (bridged != null) f.put("DialBridged", bridged.toString());
      return play(w.action(), f);
    }

    /**
     * The officer's side of a {@code <Dial>}: the leg Twilio calls out to the dialled number, which
     * fetches the {@code <Number url>} once answered. Its requests carry the caller's call as parent.
     */
    public Call officerLeg(String number) {
      Call parent = this;
      return new Call(hotline, TwilioPlayer.sid("CA")) {
        @Override
        public Map<String, String> fields(String status) {
          Map<String, String> f = super.fields(status);
          f.put("From", hotline);
          f.put("To", number);
          f.put("Direction", "outbound-dial");
          f.put("ParentCallSid", parent.sid);
          return f;
        }
      };
    }

    /** Fetches a URL the TwiML named (a {@code <Number url>}) and follows it. */
    public Turn open(String url) throws IOException, InterruptedException {
      return play(url, fields("in-progress"));
    }

    /** The caller hung up (or the call ended): Twilio's status callback. */
    public Turn hangUp() throws IOException, InterruptedException {
      Map<String, String> f = fields("completed");
      f.put("CallDuration", String.valueOf(Math.max(1, (System.nanoTime() - started) / 1_000_000_000L)));
      Answer a = post(publicUrl + "/twilio/voice/status", f);
      ended = true;
      return new Turn(a.status(), a.body(), List.of(), Waiting.NOTHING, a.millis());
    }

    /** The fields Twilio sends with every request of this call. */
    public Map<String, String> fields(String status) {
      Map<String, String> f = new LinkedHashMap<>();
      f.put("AccountSid", accountSid);
      f.put("CallSid", sid);
      f.put("From", from);
      f.put("To", hotline);
      f.put("CallStatus", status);
      f.put("Direction", "inbound");
      return f;
    }

    private Map<String, String> recording(String url, int seconds, String digits) {
      Map<String, String> f = fields(digits.equals("hangup") ? "completed" : "in-progress");
      f.put("RecordingUrl", url);
      f.put("RecordingDuration", String.valueOf(seconds));
      f.put("RecordingSid", url.substring(url.lastIndexOf('/') + 1));
      f.put("Digits", digits);
      return f;
    }

    private Waiting expect(String kind) {
      if (last == null) throw new IllegalStateException("the call has not started");
      if (ended || !last.waiting().kind().equals(kind)) {
        throw new IllegalStateException("the call is not waiting for " + kind + " here (it waits for " + (ended ? "nothing: it ended" : last.waiting().kind()) + ")");
      }
      return last.waiting();
    }

    /** Posts, then follows {@code <Redirect>}s as Twilio does, gathering what is heard until the call waits or ends. */
    private Turn play(String url, Map<String, String> fields) throws IOException, InterruptedException {
      List<Heard> heard = new ArrayList<>();
      long millis = 0;
      for (int hops = 0; hops < 10; hops++) {
        Answer a = send(url, fields);
        millis += a.millis();
        if (a.status() != 200) return finish(new Turn(a.status(), a.body(), heard, Waiting.NOTHING, millis));
        Document doc = parse(a.body());
        Waiting waiting = Waiting.NOTHING;
        String redirect = null;
        for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
          if (!(n instanceof Element e)) continue;
          switch (e.getTagName()) {
            case "Say", "Play" -> heard.add(heard(e));
            case "Gather" -> {
              for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element ce && (ce.getTagName().equals("Say") || ce.getTagName().equals("Play"))) heard.add(heard(ce));
              }
              waiting = new Waiting("keys", integer(e, "numDigits", 0), integer(e, "timeout", 5), e.getAttribute("finishOnKey"), 0,
                  e.getAttribute("action"), null, null);
            }
            case "Record" -> waiting = new Waiting("recording", 0, integer(e, "timeout", 5), e.getAttribute("finishOnKey"),
                integer(e, "maxLength", 3600), e.getAttribute("action"), null, null);
            case "Dial" -> {
              Element number = first(e, "Number");
              waiting = new Waiting("dial", 0, integer(e, "timeout", 30), "", 0, e.getAttribute("action"),
                  number == null ? e.getTextContent().strip() : number.getTextContent().strip(), number == null ? null : number.getAttribute("url"));
            }
            case "Redirect" -> redirect = e.getTextContent().strip();
            case "Hangup" -> waiting = Waiting.NOTHING;
            default -> { }
          }
          if (!waiting.kind().equals("nothing") || redirect != null || e.getTagName().equals("Hangup")) break;
        }
        last = new Turn(200, a.body(), heard, waiting, millis);
        if (redirect == null) return finish(last);
        url = redirect;
        fields = fields("in-progress");
      }
      throw new IOException("more than 10 redirects in a row");
    }

    private Turn finish(Turn t) {
      last = t;
      if (t.over()) ended = true;
      return t;
    }

    /** One request as Twilio signs it, without following anything: for tests that check each TwiML document. */
    public Answer send(String url, Map<String, String> fields) throws IOException, InterruptedException {
      return post(url, fields);
    }
  }

  /** An HTTP answer: status, body, and how long it took. */
  public record Answer(int status, String body, long millis) {}

  /** Signs and posts a webhook to a URL under the public URL, as Twilio does. */
  public Answer post(String url, Map<String, String> fields) throws IOException, InterruptedException {
    return post(url, fields, signature.sign(url, fields));
  }

  /** The same with the signature chosen by the caller (null: none): a test of what Sathi refuses. */
  public Answer post(String url, Map<String, String> fields, String sig) throws IOException, InterruptedException {
    if (!url.startsWith(publicUrl)) throw new IOException("Twilio would call " + url + ", which is not under " + publicUrl);
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.get() + url.substring(publicUrl.length()))).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (sig != null) b.header("X-Twilio-Signature", sig);
    long start = System.nanoTime();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body(), (System.nanoTime() - start) / 1_000_000);
  }

  private static Heard heard(Element e) {
    return e.getTagName().equals("Say")
        ? new Heard("say", e.getTextContent(), e.getAttribute("language"), e.getAttribute("voice"), null)
        : new Heard("play", null, null, null, e.getTextContent().strip());
  }

  private static int integer(Element e, String attribute, int otherwise) {
    try {
      return e.hasAttribute(attribute) ? Integer.parseInt(e.getAttribute(attribute)) : otherwise;
    } catch (NumberFormatException notANumber) {
      return otherwise;
    }
  }

  private static Element first(Node parent, String tag) {
    NodeListFinder f = new NodeListFinder(tag);
    return f.find(parent);
  }

  /** Depth-first search for the first element with a tag name. */
  private record NodeListFinder(String tag) {
    Element find(Node n) {
      for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
        if (c instanceof Element e) {
          if (e.getTagName().equals(tag)) return e;
          Element deeper = find(e);
          if (deeper != null) return deeper;
        }
      }
      return null;
    }
  }

  /** Parses TwiML (no DTDs: a webhook answer is never trusted with one). */
  public static Document parse(String twiml) throws IOException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(twiml)));
    } catch (Exception e) {
      throw new IOException("not TwiML: " + e.getMessage());
    }
  }
}
