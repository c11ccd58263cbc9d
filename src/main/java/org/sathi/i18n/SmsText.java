package org.sathi.i18n;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of an SMS reply: prompts one per line, options as {@code 1. Label}; and the paging
 * of long content so that a page and its footer fit the reply budget.
 */
public final class SmsText {
  private SmsText() {}

  /** One line of a reply; an option when {@code digit} is set. */
  public record Line(String key, String text, String digit) {
    public static Line say(String key, String text) {
      return new Line(key, text, null);
    }

    public static Line option(String digit, String key, String text) {
      return new Line(key, text, digit);
    }

    public String rendered() {
      return digit == null ? text : digit + ". " + text;
    }
  }

  public static String render(List<Line> lines) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      if (!out.isEmpty()) out.append('\n');
      out.append(line.rendered());
    }
    return out.toString();
  }

  /**
   * Splits {@code text} into pages that each fit {@code maxSegments} together with {@code footer}
   * (the longest footer a page may get). Breaks at whitespace; a word too long for a page is cut.
   */
  public static List<String> pages(String text, String footer, int maxSegments) {
    List<String> pages = new ArrayList<>();
    String rest = text.strip();
    while (!rest.isEmpty()) {
      int cut = fittingPrefix(rest, footer, maxSegments);
      pages.add(rest.substring(0, cut).strip());
      rest = rest.substring(cut).strip();
    }
    if (pages.isEmpty()) pages.add("");
    return pages;
  }

  public static boolean fits(String reply, int maxSegments) {
    return SmsSegments.of(reply).segments() <= maxSegments;
  }

  private static int fittingPrefix(String text, String footer, int maxSegments) {
    if (fits(text + "\n" + footer, maxSegments)) return text.length();
    int lastBreak = -1;
    int lastSentence = -1;
    int lastFit = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (Character.isHighSurrogate(text.charAt(i - 1)) && i < text.length()) continue;
      if (!fits(text.substring(0, i) + "\n" + footer, maxSegments)) break;
      lastFit = i;
      if (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        lastBreak = i;
        if (SENTENCE_ENDS.indexOf(text.charAt(i - 1)) >= 0) lastSentence = i;
      }
    }
    if (lastFit == 0) lastFit = Math.min(text.length(), 1);
    // A page that ends with a whole sentence reads better, unless that leaves the page half empty.
    if (lastSentence > lastFit / 2) return lastSentence;
    return lastBreak > 0 ? lastBreak : lastFit;
  }

  /** Full stops of the scripts we ship: Latin, Bengali/Devanagari danda, Burmese, Khmer, Thai. */
  private static final String SENTENCE_ENDS = ".!?।॥။។ฯ";
}
