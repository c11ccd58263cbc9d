package org.sathi.testing;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.sathi.twilio.Signature;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * Plays Twilio for one call: signed webhooks to a running server, each next request sent to the
 * action URL the last TwiML named, with the fields Twilio would send.
 */
public final class TestCall {
  private static final AtomicLong SIDS = new AtomicLong(System.nanoTime());

  /** One TwiML answer: its status, its body, and how long it took. */
  public record Twiml(int status, String body, long millis) {
    public Document document() {
      try {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
      } catch (Exception e) {
        throw new AssertionError("not XML: " + body, e);
      }
    }

    /** The first element with this name, or null. */
    public Element first(String verb) {
      var list = document().getElementsByTagName(verb);
      return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    /** Everything said or played, in order: "[bn-IN] text" for a Say, "play URL" for a Play. */
    public List<String> heard() {
      List<String> out = new ArrayList<>();
      collect(document().getDocumentElement(), out);
      return out;
    }

    private static void collect(Element e, List<String> out) {
      for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (!(n instanceof Element c)) continue;
        switch (c.getTagName()) {
          case "Say" -> out.add("[" + c.getAttribute("language") + "] " + c.getTextContent());
          case "Play" -> out.add("play " + c.getTextContent());
          default -> collect(c, out);
        }
      }
    }

    public String text() {
      return String.join("\n", heard());
    }

    /** The TwiML one element a line, attributes sorted, the call's start time replaced: for golden transcripts. */
    public String pretty() {
      StringBuilder out = new StringBuilder();
      pretty(document().getDocumentElement(), 0, out);
      return out.toString().replaceAll("([?&])s=\\d+", "$1s=START");
    }

    private static void pretty(Element e, int depth, StringBuilder out) {
      out.append("  ".repeat(depth)).append('<').append(e.getTagName());
      Map<String, String> attrs = new TreeMap<>();
      for (int i = 0; i < e.getAttributes().getLength(); i++) {
        Node a = e.getAttributes().item(i);
        attrs.put(a.getNodeName(), a.getNodeValue());
      }
      attrs.forEach((k, v) -> out.append(' ').append(k).append("=\"").append(v).append('"'));
      List<Element> children = new ArrayList<>();
      for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) if (n instanceof Element c) children.add(c);
      String text = children.isEmpty() ? e.getTextContent().strip() : "";
      if (children.isEmpty() && text.isEmpty()) {
        out.append("/>\n");
        return;
      }
      out.append('>');
      if (!children.isEmpty()) {
        out.append('\n');
        for (Element c : children) pretty(c, depth + 1, out);
        out.append("  ".repeat(depth));
      } else {
        out.append(text);
      }
      out.append("</").append(e.getTagName()).append(">\n");
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String from;
  private final String to;
  private final String sid;
  private Twiml last;

  public TestCall(int port, String from, String to) {
    this.port = port;
    this.from = from;
    this.to = to;
    this.sid = "CA" + HexFormat.of().withLowerCase().toHexDigits(SIDS.incrementAndGet()) + "0000000000000000";
  }

  public String sid() {
    return sid;
  }

  public Twiml last() {
    return last;
  }

  /** The call rings: {@code POST /twilio/voice}. */
  public Twiml dial() throws Exception {
    return send(TestPhone.PUBLIC_URL + "/twilio/voice", fields("ringing"));
  }

  /** Keys pressed at the current {@code <Gather>}; Twilio sends them without the finishing #. */
  public Twiml press(String digits) throws Exception {
    Map<String, String> f = fields("in-progress");
    f.put("Digits", digits);
    f.put("FinishedOnKey", "");
    return send(action("Gather"), f);
  }

  /** Nothing pressed at the current {@code <Gather>} until its timeout. */
  public Twiml silence() throws Exception {
    Map<String, String> f = fields("in-progress");
    f.put("Digits", "");
    return send(action("Gather"), f);
  }

  /** The caller speaks at the current {@code <Record>} and presses #. */
  public Twiml record(String recordingUrl, int seconds) throws Exception {
    return send(action("Record"), recording(recordingUrl, seconds, "#"));
  }

  /** The caller hangs up while the current {@code <Record>} is recording. */
  public Twiml hangUpWhileRecording(String recordingUrl, int seconds) throws Exception {
    return send(action("Record"), recording(recordingUrl, seconds, "hangup"));
  }

  /** The caller says nothing at a {@code <Record>}: Twilio goes on to the {@code <Redirect>} after it. */
  public Twiml recordNothing() throws Exception {
    Element r = last.first("Redirect");
    if (r == null) throw new AssertionError("no <Redirect> in " + last.body());
    return send(r.getTextContent(), fields("in-progress"));
  }

  /** The {@code <Dial>} ended: completed, no-answer, busy, failed. */
  public Twiml dialEnded(String dialCallStatus) throws Exception {
    Map<String, String> f = fields("in-progress");
    f.put("DialCallStatus", dialCallStatus);
    return send(action("Dial"), f);
  }

  /** The call is over: Twilio's status callback. */
  public Twiml completed() throws Exception {
    Map<String, String> f = fields("completed");
    f.put("CallDuration", "42");
    return send(TestPhone.PUBLIC_URL + "/twilio/voice/status", f);
  }

  /** The same request again, as Twilio retries one. */
  public Twiml resend(String url, Map<String, String> fields) throws Exception {
    return send(url, fields);
  }

  public String action(String verb) {
    if (last == null) throw new AssertionError("the call has not started");
    Element e = last.first(verb);
    if (e == null) throw new AssertionError("no <" + verb + "> in " + last.body());
    return e.getAttribute("action");
  }

  private Map<String, String> recording(String url, int seconds, String digits) {
    Map<String, String> f = fields("in-progress");
    f.put("RecordingUrl", url);
    f.put("RecordingDuration", String.valueOf(seconds));
    f.put("RecordingSid", "RE" + "0".repeat(32));
    f.put("Digits", digits);
    return f;
  }

  public Map<String, String> fields(String status) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("AccountSid", "ACtest");
    f.put("CallSid", sid);
    f.put("From", from);
    f.put("To", to);
    f.put("CallStatus", status);
    f.put("Direction", "inbound");
    return f;
  }

  /** Signs and posts to a URL under the public URL, as Twilio does; remembers the TwiML for the next step. */
  public Twiml send(String url, Map<String, String> fields) throws Exception {
    Twiml t = post(url, fields, new Signature(TestPhone.AUTH_TOKEN).sign(url, fields));
    if (t.status() == 200 && !t.body().contains("<Response/>")) last = t;
    return t;
  }

  public Twiml post(String url, Map<String, String> fields, String signature) throws Exception {
    if (!url.startsWith(TestPhone.PUBLIC_URL)) throw new AssertionError("Twilio would call " + url + ", not this server");
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url.substring(TestPhone.PUBLIC_URL.length())))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (signature != null) b.header("X-Twilio-Signature", signature);
    long start = System.nanoTime();
    HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Twiml(response.statusCode(), response.body(), (System.nanoTime() - start) / 1_000_000);
  }
}
