package org.sathi.testing;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.sathi.simulator.TwilioPlayer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * One call in a test, played by {@link TwilioPlayer} (the simulator's own Twilio): signed webhooks
 * to a running server, each next request to the action the last TwiML named. What each step
 * answers is kept as {@link Twiml}, for assertions and golden snapshots.
 */
public final class TestCall {

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

    /** The TwiML one element a line, attributes sorted, the call's start time and time left replaced: for golden transcripts. */
    public String pretty() {
      StringBuilder out = new StringBuilder();
      pretty(document().getDocumentElement(), 0, out);
      String text = out.toString();
      // A hand-off's code is derived from the call's (random) CallSid: the same stand-in in every snapshot.
      java.util.regex.Matcher h = java.util.regex.Pattern.compile("[?&]h=([A-Z0-9]{4})-([A-Z0-9]{4})").matcher(text);
      if (h.find()) {
        text = text.replace(String.join(" ", h.group(1).split("")) + ", " + String.join(" ", h.group(2).split("")), "H A N D, O F F S")
            .replace(h.group(1) + "-" + h.group(2), "HAND-OFFS");
      }
      // The call's start, and what is left of the longest call, depend on the wall clock's second: not part of a snapshot.
      return text.replaceAll("([?&])s=\\d+", "$1s=START").replaceAll("timeLimit=\"\\d+\"", "timeLimit=\"LEFT\"");
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

  private final TwilioPlayer player;
  private final TwilioPlayer.Call call;
  private Twiml last;

  public TestCall(int port, String from, String to) {
    this.player = new TwilioPlayer("http://127.0.0.1:" + port, TestPhone.PUBLIC_URL, TestPhone.AUTH_TOKEN, "ACtest", to);
    this.call = player.call(from);
  }

  public String sid() {
    return call.sid();
  }

  public Twiml last() {
    return last;
  }

  /** The call rings: {@code POST /twilio/voice}. */
  public Twiml dial() throws Exception {
    return keep(call.dial());
  }

  /** Keys pressed at the current {@code <Gather>}; Twilio sends them without the finishing #. */
  public Twiml press(String digits) throws Exception {
    if (call.ended() && last != null) {
      // A late webhook of a call that has ended, as Twilio may still send one: to the last Gather's action.
      Map<String, String> f = fields("in-progress");
      f.put("Digits", digits);
      return send(action("Gather"), f);
    }
    return keep(call.press(digits));
  }

  /** Nothing pressed at the current {@code <Gather>} until its timeout. */
  public Twiml silence() throws Exception {
    return keep(call.silence());
  }

  /** The caller speaks at the current {@code <Record>} and presses #. */
  public Twiml record(String recordingUrl, int seconds) throws Exception {
    return keep(call.record(recordingUrl, seconds));
  }

  /** The caller hangs up while the current {@code <Record>} is recording. */
  public Twiml hangUpWhileRecording(String recordingUrl, int seconds) throws Exception {
    return keep(call.hangUpWhileRecording(recordingUrl, seconds));
  }

  /** The caller says nothing at a {@code <Record>}: Twilio goes on to the {@code <Redirect>} after it. */
  public Twiml recordNothing() throws Exception {
    return keep(call.recordNothing());
  }

  /** The {@code <Dial>} ended: completed, no-answer, busy, failed. */
  public Twiml dialEnded(String dialCallStatus) throws Exception {
    return keep(call.dialEnded(dialCallStatus));
  }

  /** The call is over: Twilio's status callback. */
  public Twiml completed() throws Exception {
    TwilioPlayer.Turn t = call.hangUp();
    return new Twiml(t.status(), t.twiml(), t.millis());
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

  public Map<String, String> fields(String status) {
    return call.fields(status);
  }

  /** Signs and posts one request, following nothing; remembers the TwiML for the next step. */
  public Twiml send(String url, Map<String, String> fields) throws Exception {
    TwilioPlayer.Answer a = call.send(url, fields);
    Twiml t = new Twiml(a.status(), a.body(), a.millis());
    if (t.status() == 200 && !t.body().contains("<Response/>")) last = t;
    return t;
  }

  /** Posts with exactly this signature (null: none). */
  public Twiml post(String url, Map<String, String> fields, String signature) throws Exception {
    TwilioPlayer.Answer a = player.post(url, fields, signature);
    return new Twiml(a.status(), a.body(), a.millis());
  }

  private Twiml keep(TwilioPlayer.Turn turn) {
    Twiml t = new Twiml(turn.status(), turn.twiml(), turn.millis());
    if (t.status() == 200 && !t.body().contains("<Response/>")) last = t;
    return t;
  }
}
