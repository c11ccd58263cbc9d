package org.sathi.channel.ussd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sathi.i18n.SmsSegments;

/**
 * A reply cut into USSD screens. Each screen fits the channel's limit: {@code screenChars} GSM-7
 * characters, or {@code unicodeScreenChars} UTF-16 units when the screen needs UCS-2 (Bengali, Thai,
 * Burmese...). Screens break between lines, so an option is never cut; a line too long for a screen
 * is cut between words. Every screen but the last ends with {@code 98. More}; every screen offers
 * {@code 0. Back}, unless it has a 0 of its own (the main menu's language choice) or it ends the session.
 */
public final class UssdScreens {
  /** Shows the next screen of a long reply. */
  public static final String MORE = "98";
  /** The screen before this one; on the first screen of a reply, the flows' "back". */
  public static final String BACK = "0";

  private UssdScreens() {}

  /** The labels of the two keys, in the caller's language. */
  public record Labels(String more, String back) {}

  /**
   * @param reply  the reply as an SMS carries it: lines, options as {@code 1. Label}
   * @param ending the session ends with this reply: its last screen is an {@code END}, with no Back
   */
  public static List<String> of(String reply, boolean ending, Labels labels, int screenChars, int unicodeScreenChars) {
    List<String> lines = new ArrayList<>(Arrays.asList(reply.strip().split("\n")));
    boolean ownZero = ownZero(reply.strip());
    String more = MORE + ". " + labels.more();
    String back = BACK + ". " + labels.back();
    List<String> lastFooter = ending || ownZero ? List.of() : List.of(back);
    List<String> pageFooter = ownZero ? List.of(more) : List.of(more, back);
    Limit limit = new Limit(screenChars, unicodeScreenChars);
    List<String> screens = new ArrayList<>();
    int at = 0;
    while (at < lines.size()) {
      if (limit.fits(join(lines.subList(at, lines.size()), lastFooter))) {
        screens.add(join(lines.subList(at, lines.size()), lastFooter));
        break;
      }
      int end = at;
      while (end < lines.size() && limit.fits(join(lines.subList(at, end + 1), pageFooter))) end++;
      if (end == at) {
        // One line longer than a screen: as much of it as fits, cut between words; the rest on the next screen.
        String line = lines.get(at);
        int cut = limit.prefix(line, pageFooter);
        lines.set(at, line.substring(cut).strip());
        screens.add(join(List.of(line.substring(0, cut).strip()), pageFooter));
        continue;
      }
      screens.add(join(lines.subList(at, end), pageFooter));
      at = end;
    }
    if (screens.isEmpty()) screens.add(join(List.of(), lastFooter));
    return List.copyOf(screens);
  }

  /** Whether the reply offers a 0 of its own (the main menu's language choice): then 0 is that, not Back. */
  static boolean ownZero(String reply) {
    for (String line : reply.split("\n")) if (line.startsWith(BACK + ". ")) return true;
    return false;
  }

  private static String join(List<String> lines, List<String> footer) {
    List<String> all = new ArrayList<>(lines);
    all.addAll(footer);
    return String.join("\n", all);
  }

  /** How much fits one screen: GSM-7 septets, or UTF-16 units for a screen that needs UCS-2. */
  record Limit(int gsm, int unicode) {
    boolean fits(String screen) {
      SmsSegments size = SmsSegments.of(screen);
      return size.units() <= (size.encoding() == SmsSegments.Encoding.GSM_7 ? gsm : unicode);
    }

    /** The longest start of the line that fits with the footer: to the last space that fits, else as many characters as fit. */
    int prefix(String line, List<String> footer) {
      int lastFit = 0;
      int lastSpace = 0;
      for (int i = 1; i <= line.length(); i++) {
        if (i < line.length() && Character.isHighSurrogate(line.charAt(i - 1))) continue;
        if (!fits(join(List.of(line.substring(0, i)), footer))) break;
        lastFit = i;
        if (i < line.length() && Character.isWhitespace(line.charAt(i))) lastSpace = i;
      }
      if (lastFit == 0) return Math.min(1, line.length());
      return lastSpace > lastFit / 2 ? lastSpace : lastFit;
    }
  }
}
