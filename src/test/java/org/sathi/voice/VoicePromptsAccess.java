package org.sathi.voice;

/** For tools outside the package that compare what a call says: the text as a voice reads it. */
public final class VoicePromptsAccess {
  private VoicePromptsAccess() {}

  public static String speakable(String text) {
    return VoicePrompts.speakable(text);
  }
}
