package org.sathi.server;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads the text of the {@code <Message>} elements of a MessagingResponse, as a phone would show it. */
public final class TwimlText {
  private TwimlText() {}

  /** What a caller hears from a voice response, a line each ("[bn-IN] text" or "(plays URL)"), and what it then waits for. */
  public static String heard(String twiml) {
    Document doc = parse(twiml);
    StringBuilder out = new StringBuilder();
    collect(doc.getDocumentElement(), out);
    return out.toString();
  }

  private static void collect(org.w3c.dom.Element e, StringBuilder out) {
    for (org.w3c.dom.Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof org.w3c.dom.Element c)) continue;
      switch (c.getTagName()) {
        case "Say" -> out.append("  [").append(c.getAttribute("language")).append("] ").append(c.getTextContent()).append('\n');
        case "Play" -> out.append("  (plays ").append(c.getTextContent()).append(")\n");
        case "Gather" -> {
          collect(c, out);
          out.append(c.hasAttribute("numDigits") ? "  ... waits for a key\n" : "  ... waits for a number and #\n");
        }
        case "Record" -> out.append("  ... records (say \"record\" to send one)\n");
        case "Dial" -> out.append("  ... rings the officer on call (their number is in config/roster.yaml)\n");
        case "Hangup" -> out.append("  ... hangs up\n");
        default -> collect(c, out);
      }
    }
  }

  /** The action URL the response's first element of this kind names, or null. */
  public static String action(String twiml, String verb) {
    NodeList list = parse(twiml).getElementsByTagName(verb);
    return list.getLength() == 0 ? null : ((org.w3c.dom.Element) list.item(0)).getAttribute("action");
  }

  private static Document parse(String twiml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(twiml)));
    } catch (Exception e) {
      throw new IllegalArgumentException("not TwiML: " + e.getMessage(), e);
    }
  }

  public static String messages(String twiml) {
    NodeList list = parse(twiml).getElementsByTagName("Message");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < list.getLength(); i++) {
      if (i > 0) out.append("\n---\n");
      out.append(list.item(i).getTextContent());
    }
    return out.toString();
  }

}
