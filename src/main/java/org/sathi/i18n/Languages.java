package org.sathi.i18n;

import java.util.List;
import java.util.Optional;

/** The enabled languages, in menu order, and the rule for guessing a first-time caller's language. */
public record Languages(List<Language> enabled, Language fallback) {

  public Optional<Language> byCode(String code) {
    return enabled.stream().filter(l -> l.code().equals(code)).findFirst();
  }

  public Language get(String code) {
    return byCode(code).orElse(fallback);
  }

  /**
   * Guesses from the script of the first message, then the calling code of the number. A script
   * shared by several languages (Devanagari: Hindi and Nepali) is settled by the calling code.
   */
  public Language guess(String firstText, String e164) {
    Character.UnicodeScript script = dominantScript(firstText == null ? "" : firstText);
    List<Language> byScript = script == null || script == Character.UnicodeScript.LATIN
        ? List.of()
        : enabled.stream().filter(l -> l.scripts().contains(script)).toList();
    Optional<Language> byCountry = byCallingCode(e164);
    if (byScript.size() == 1) return byScript.get(0);
    if (byScript.size() > 1) {
      return byCountry.filter(byScript::contains).orElse(byScript.get(0));
    }
    return byCountry.orElse(fallback);
  }

  private Optional<Language> byCallingCode(String e164) {
    if (e164 == null || !e164.startsWith("+")) return Optional.empty();
    String digits = e164.substring(1);
    Language best = null;
    int bestLength = 0;
    for (Language l : enabled) {
      for (String cc : l.countryCodes()) {
        if (digits.startsWith(cc) && cc.length() > bestLength) {
          best = l;
          bestLength = cc.length();
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** The script of most letters in the text; null when it has no letters. */
  static Character.UnicodeScript dominantScript(String text) {
    java.util.EnumMap<Character.UnicodeScript, Integer> counts =
        new java.util.EnumMap<>(Character.UnicodeScript.class);
    text.codePoints().filter(Character::isLetter).forEach(cp -> counts.merge(Character.UnicodeScript.of(cp), 1, Integer::sum));
    return counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).orElse(null);
  }
}
