package org.sathi.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.sathi.i18n.TtsVoices;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * What Twilio accepts in a voice response, from its TwiML reference: the verbs, where each may
 * appear, and their attributes. A response that breaks any rule fails the test that produced it.
 */
public final class TwimlRules {
  private TwimlRules() {}

  /** Verb -> its attributes (Twilio's TwiML voice reference). */
  static final Map<String, Set<String>> ATTRIBUTES = Map.of(
      "Response", Set.of(),
      "Say", Set.of("voice", "language", "loop"),
      "Play", Set.of("loop", "digits"),
      "Pause", Set.of("length"),
      "Gather", Set.of("input", "action", "method", "timeout", "numDigits", "finishOnKey", "actionOnEmptyResult", "speechTimeout",
          "language", "hints", "bargeIn", "profanityFilter", "speechModel", "enhanced", "partialResultCallback", "partialResultCallbackMethod"),
      "Record", Set.of("action", "method", "timeout", "finishOnKey", "maxLength", "playBeep", "trim", "recordingStatusCallback",
          "recordingStatusCallbackMethod", "recordingStatusCallbackEvent", "transcribe", "transcribeCallback"),
      "Dial", Set.of("action", "method", "timeout", "callerId", "hangupOnStar", "timeLimit", "record", "trim", "answerOnBridge", "ringTone",
          "recordingStatusCallback", "recordingStatusCallbackMethod", "recordingStatusCallbackEvent", "sequential"),
      "Number", Set.of("sendDigits", "url", "method", "statusCallback", "statusCallbackEvent", "statusCallbackMethod", "byoc"),
      "Redirect", Set.of("method"),
      "Hangup", Set.of());

  /** Parent -> the verbs it may hold. */
  static final Map<String, Set<String>> CHILDREN = Map.of(
      "Response", Set.of("Say", "Play", "Pause", "Gather", "Record", "Dial", "Redirect", "Hangup"),
      "Gather", Set.of("Say", "Play", "Pause"),
      "Dial", Set.of("Number"));

  /** Parses the TwiML and checks every element; returns nothing, fails on the first broken rule. */
  public static void check(String twiml) {
    Element root;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      root = f.newDocumentBuilder().parse(new InputSource(new StringReader(twiml))).getDocumentElement();
    } catch (Exception e) {
      throw new AssertionError("not XML: " + twiml, e);
    }
    assertThat(root.getTagName()).isEqualTo("Response");
    check(root, twiml);
  }

  private static void check(Element e, String twiml) {
    String verb = e.getTagName();
    assertThat(ATTRIBUTES).as("<%s> is a Twilio voice verb, in %s", verb, twiml).containsKey(verb);
    for (int i = 0; i < e.getAttributes().getLength(); i++) {
      String a = e.getAttributes().item(i).getNodeName();
      assertThat(ATTRIBUTES.get(verb)).as("<%s %s> is one of Twilio's attributes, in %s", verb, a, twiml).contains(a);
    }
    switch (verb) {
      case "Say" -> {
        assertThat(e.getTextContent()).as("a <Say> says something, in %s", twiml).isNotBlank();
        assertThat(TtsVoices.speaks(e.getAttribute("language"))).as("Twilio speaks <Say language=\"%s\">, in %s", e.getAttribute("language"), twiml)
            .isTrue();
        assertThat(TtsVoices.voice(e.getAttribute("voice"))).as("Twilio has the voice %s", e.getAttribute("voice")).isPresent();
      }
      case "Play" -> assertThat(e.getTextContent()).as("a <Play> plays a URL").startsWith("https://");
      case "Gather" -> {
        assertThat(e.getAttribute("input")).isEqualTo("dtmf");
        assertThat(e.getAttribute("actionOnEmptyResult")).as("silence reaches the engine").isEqualTo("true");
        assertThat(e.getElementsByTagName("*").getLength()).as("a <Gather> is never silent, in %s", twiml).isPositive();
      }
      case "Dial" -> assertThat(e.getAttribute("callerId")).as("an officer sees the hotline's number, never the caller's").matches("\\+[1-9]\\d{6,14}");
      default -> {}
    }
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        assertThat(CHILDREN.getOrDefault(verb, Set.of())).as("<%s> inside <%s>, in %s", c.getTagName(), verb, twiml).contains(c.getTagName());
        check(c, twiml);
      } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank()) {
        assertThat(Set.of("Say", "Play", "Number", "Redirect")).as("text inside <%s>", verb).contains(verb);
      }
    }
  }
}
