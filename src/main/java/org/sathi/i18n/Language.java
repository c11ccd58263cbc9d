package org.sathi.i18n;

import java.util.List;

/** One language the hotline speaks, as declared in {@code ivr-flows/languages.yaml}. */
public record Language(
    String code,
    String name,
    List<Character.UnicodeScript> scripts,
    List<String> countryCodes,
    Voice voice,
    String review) {

  /** How prompts are spoken on a call: a TTS voice, another language's prompts, or recordings. */
  public record Voice(String tts, String locale, String substitute, boolean recorded) {}
}
