package org.sathi.flow;

/** What the caller did. The host turns webhooks into these. */
public sealed interface Input {
  /**
   * First contact (or after the conversation expired): start at the main menu in this language.
   * {@code text} is what the caller sent, if anything: a quick-exit word is honoured even now.
   */
  record Start(String language, boolean returning, String text) implements Input {
    public Start(String language, boolean returning) {
      this(language, returning, null);
    }
  }

  record Text(String text) implements Input {}

  record Digits(String digits) implements Input {}

  record Timeout() implements Input {}

  /** A recorded answer (voice): where Twilio keeps it, and how many seconds long it is when known. */
  record Recording(String url, Integer seconds) implements Input {
    public Recording(String url) {
      this(url, null);
    }
  }

  record Hangup() implements Input {}

  /** Back to the screen before this one (USSD's {@code 0. Back}): as the word "back" does in a text. */
  record Back() implements Input {}

  /** The caller came back to where they stopped (a USSD session cut off and dialled again): that screen again. */
  record Resume() implements Input {}
}
