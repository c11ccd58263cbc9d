package org.sathi.i18n;

import com.twilio.twiml.voice.Say;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Twilio's {@code <Say>} can speak, as the Twilio SDK lists it ({@link Say.Language},
 * {@link Say.Voice}). A locale missing here (bn-BD, ne-NP, ur, my, km, lo, si) has no voice: its
 * prompts must be recorded, or spoken by a declared substitute, or the language stays SMS-only.
 */
public final class TtsVoices {
  private TtsVoices() {}

  private static final Set<String> LOCALES = Arrays.stream(Say.Language.values()).map(Say.Language::toString)
      .filter(s -> !s.isBlank()).collect(Collectors.toUnmodifiableSet());

  public static boolean speaks(String locale) {
    return locale != null && LOCALES.contains(locale);
  }

  public static Optional<Say.Voice> voice(String name) {
    return Arrays.stream(Say.Voice.values()).filter(v -> v.toString().equals(name)).findFirst();
  }

  public static Optional<Say.Language> language(String locale) {
    return Arrays.stream(Say.Language.values()).filter(l -> l.toString().equals(locale)).findFirst();
  }

  /** Twilio's locales, for error messages. */
  public static Set<String> locales() {
    return LOCALES;
  }
}
