package org.sathi.server;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Reads the text of the {@code <Message>} elements of a MessagingResponse, as a phone would show it. */
public final class TwimlText {
  private TwimlText() {}

  public static String messages(String twiml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(twiml)));
      NodeList list = doc.getElementsByTagName("Message");
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < list.getLength(); i++) {
        if (i > 0) out.append("\n---\n");
        out.append(list.item(i).getTextContent());
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalArgumentException("not TwiML: " + e.getMessage(), e);
    }
  }
}
