package org.sathi.voice;

/**
 * Calls, from config/sathi.yaml {@code voice:}. {@code enabled: false} takes the call webhooks off
 * ({@code /twilio/voice} answers 404), so a hotline that only texts over an operator's SMSC needs no
 * Twilio account. {@code gatherTimeoutSeconds} is how long a menu waits for a key when its node does
 * not say ({@code timeoutSeconds}); a recorded answer ends after {@code recordMaxSeconds}, or
 * {@code recordSilenceSeconds} of silence; an officer's phone rings {@code dialTimeoutSeconds}
 * before the caller is offered a voicemail; no call lasts longer than {@code maxCallMinutes}.
 */
public record VoiceSettings(Boolean enabled, int gatherTimeoutSeconds, int recordMaxSeconds, int recordSilenceSeconds, int dialTimeoutSeconds,
    int maxCallMinutes, int turnDeadlineMillis) {
  public static final int DEFAULT_GATHER_TIMEOUT_SECONDS = 8;
  public static final int DEFAULT_MAX_CALL_MINUTES = 30;

  public VoiceSettings {
    if (enabled == null) enabled = true;
    if (gatherTimeoutSeconds == 0) gatherTimeoutSeconds = DEFAULT_GATHER_TIMEOUT_SECONDS;
    if (recordMaxSeconds == 0) recordMaxSeconds = 120;
    if (recordSilenceSeconds == 0) recordSilenceSeconds = 5;
    if (dialTimeoutSeconds == 0) dialTimeoutSeconds = 25;
    if (maxCallMinutes == 0) maxCallMinutes = DEFAULT_MAX_CALL_MINUTES;
    if (turnDeadlineMillis == 0) turnDeadlineMillis = 1800;
  }

  /** Every setting at its default: calls on. */
  public static VoiceSettings defaults() {
    return new VoiceSettings(null, 0, 0, 0, 0, 0, 0);
  }
}
