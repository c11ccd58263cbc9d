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

  record Recording(String url) implements Input {}

  record Hangup() implements Input {}
}
