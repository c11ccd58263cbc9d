package org.sathi.channel.twilio;

/**
 * The Twilio SDK writes every TwiML document through {@code DocumentBuilderFactory.newInstance()}
 * and {@code TransformerFactory.newInstance()}. Without these properties each call searches the
 * class path for XML providers; with them it takes the JDK's own at once. Measured by
 * {@code ./sathi bench}: this was the largest single cost of a webhook turn.
 */
public final class TwimlWriter {
  private TwimlWriter() {}

  private static final String[][] JDK_PROVIDERS = {
      {"javax.xml.parsers.DocumentBuilderFactory", "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl"},
      {"javax.xml.transform.TransformerFactory", "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl"}};

  /** Names the JDK's XML providers, unless the operator named others. */
  public static void useJdkProviders() {
    for (String[] p : JDK_PROVIDERS) {
      if (System.getProperty(p[0]) == null) System.setProperty(p[0], p[1]);
    }
  }
}
