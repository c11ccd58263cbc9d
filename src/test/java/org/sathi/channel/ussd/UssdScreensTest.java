package org.sathi.channel.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sathi.i18n.SmsSegments;

/** Replies cut into USSD screens: each within its limit, nothing lost, the keys where a caller expects them. */
class UssdScreensTest {
  static final UssdScreens.Labels EN = new UssdScreens.Labels("More", "Back");
  static final UssdScreens.Labels BN = new UssdScreens.Labels("আরও", "পিছনে");

  static int units(String screen) {
    return SmsSegments.of(screen).units();
  }

  /** The content lines of all screens, without the keys the screens added. */
  static List<String> content(List<String> screens, UssdScreens.Labels l) {
    List<String> out = new ArrayList<>();
    for (String s : screens) {
      for (String line : s.split("\n")) if (!line.equals("98. " + l.more()) && !line.equals("0. " + l.back())) out.add(line);
    }
    return out;
  }

  @Test
  void aShortMenuIsOneScreenWithBack() {
    assertThat(UssdScreens.of("Who?\n1. Me\n2. A child", false, EN, 182, 80)).containsExactly("Who?\n1. Me\n2. A child\n0. Back");
  }

  @Test
  void aMenuWithItsOwnZeroGetsNoBackAndTheEndScreenNeither() {
    assertThat(UssdScreens.of("Sathi:\n1. Report\n0. Change language", false, EN, 182, 80)).containsExactly("Sathi:\n1. Report\n0. Change language");
    assertThat(UssdScreens.of("Thank you. Your code is ACDE-FGHJ.", true, EN, 182, 80)).containsExactly("Thank you. Your code is ACDE-FGHJ.");
  }

  @Test
  void aLongBengaliMenuPagesBetweenOptionsWithinEightyUnits() {
    String menu = "কী হচ্ছে?\n1. জোর করে কাজ\n2. যৌন নির্যাতন\n3. জোর করে অপরাধ\n4. ভিক্ষা করানো\n5. পাচার/বিক্রি\n6. জোর করে বিয়ে\n7. অনলাইন হয়রানি\n8. অন্য";
    List<String> screens = UssdScreens.of(menu, false, BN, 182, 80);
    assertThat(screens).hasSizeGreaterThan(1);
    assertThat(screens).allSatisfy(s -> assertThat(units(s)).isLessThanOrEqualTo(80));
    assertThat(screens.subList(0, screens.size() - 1)).allSatisfy(s -> assertThat(s).endsWith("\n98. আরও\n0. পিছনে"));
    assertThat(screens.get(screens.size() - 1)).endsWith("\n0. পিছনে").doesNotContain("98.");
    assertThat(content(screens, BN)).containsExactly(menu.split("\n"));
  }

  @Test
  void aLineLongerThanAScreenIsCutBetweenWordsAndNothingIsLost() {
    String line = "Agents who promise easy work abroad with high pay, free travel and no papers may be lying to you. Ask someone you trust"
        + " first, and keep copies of your papers with your family before you go anywhere.";
    List<String> screens = UssdScreens.of(line + "\n1. Continue", true, EN, 100, 80);
    assertThat(screens).allSatisfy(s -> assertThat(units(s)).isLessThanOrEqualTo(100));
    assertThat(String.join(" ", content(screens, EN).subList(0, content(screens, EN).size() - 1))).isEqualTo(line);
    assertThat(screens.get(screens.size() - 1)).endsWith("1. Continue").doesNotContain("0. Back");
  }
}
