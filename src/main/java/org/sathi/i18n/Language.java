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

  /**
   * How prompts are spoken on a call. A prompt is played from its recording under
   * {@code audio/<code>/} when there is one; otherwise it is said by the TTS voice, or in the words
   * and voice of the substitute language. {@code recorded} means recordings only; {@code smsOnly}
   * means the language is not offered on calls at all.
   */
  public record Voice(String tts, String locale, String substitute, boolean recorded, boolean smsOnly) {}

  /** Whether callers can hear this language on a call. */
  public boolean spoken() {
    return voice != null && !voice.smsOnly();
  }
}
