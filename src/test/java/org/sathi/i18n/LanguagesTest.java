package org.sathi.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LanguagesTest {
  static Language lang(String code, List<Character.UnicodeScript> scripts, List<String> cc) {
    return new Language(code, code, scripts, cc, new Language.Voice("v", "x", null, false, false), "draft");
  }

  static final Language EN = lang("en", List.of(Character.UnicodeScript.LATIN), List.of());
  static final Language BN = lang("bn", List.of(Character.UnicodeScript.BENGALI), List.of("880"));
  static final Language HI = lang("hi", List.of(Character.UnicodeScript.DEVANAGARI), List.of("91"));
  static final Language NE = lang("ne", List.of(Character.UnicodeScript.DEVANAGARI), List.of("977"));
  static final Languages ALL = new Languages(List.of(EN, BN, HI, NE), EN);

  @Test
  void scriptOfTheFirstMessageWins() {
    assertThat(ALL.guess("আমি সাহায্য চাই", "+447700900123")).isEqualTo(BN);
  }

  @Test
  void sharedScriptIsSettledByCallingCode() {
    assertThat(ALL.guess("नमस्ते", "+9779800000000")).isEqualTo(NE);
    assertThat(ALL.guess("नमस्ते", "+919800000000")).isEqualTo(HI);
  }

  @Test
  void latinTextFallsBackToCallingCodeThenDefault() {
    assertThat(ALL.guess("hello", "+8801700000001")).isEqualTo(BN);
    assertThat(ALL.guess("hi", "+15005550006")).isEqualTo(EN);
    assertThat(ALL.guess("", null)).isEqualTo(EN);
  }
}
