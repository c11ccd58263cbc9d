package org.sathi.flow;

/** What the caller did. The host turns webhooks into these. */
public sealed interface Input {
  /** First contact (or after the conversation expired): start at the main menu in this language. */
  record Start(String language, boolean returning) implements Input {}

  record Text(String text) implements Input {}

  record Digits(String digits) implements Input {}

  record Timeout() implements Input {}

  record Recording(String url) implements Input {}

  record Hangup() implements Input {}
}
