package org.sathi.flow;

import java.util.List;

/**
 * The node types a flow is made of. Targets ({@code next}, {@code goto}, ...) are qualified ids,
 * {@code flow.node}, resolved by the loader. Nodes that wait for the caller are {@link Waiting}.
 */
public sealed interface Node {
  String id();

  Source source();

  /** Where a node was defined, for error messages. */
  record Source(String file, int line) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  /** A numbered choice; {@code target} is where it leads, {@code value} what it saves. */
  record Option(String digit, String label, String target, String value, Source source) {}

  /** Nodes that end a turn and wait for the caller's answer. */
  sealed interface Waiting extends Node {
    /** Where the third invalid answer in a row is sent; null for the main menu. */
    String invalid();

    /** Where a silent caller (voice) is sent; null for the main menu. */
    String timeout();

    /** How long a call waits for keys here, in seconds; 0 for the configured default (voice.gatherTimeoutSeconds). */
    int timeoutSeconds();
  }

  record Menu(String id, String prompt, List<Option> options, String invalid, String timeout, int timeoutSeconds, Source source)
      implements Waiting {}

  record LanguageChoice(String id, String prompt, String next, String invalid, String timeout, int timeoutSeconds, Source source)
      implements Waiting {}

  enum QuestionKind { TEXT, CHOICE, NUMBER }

  record Question(
      String id,
      QuestionKind kind,
      String prompt,
      List<Option> options,
      int min,
      int max,
      boolean dontKnow,
      int maxLength,
      String save,
      String next,
      String invalid,
      String timeout,
      int timeoutSeconds,
      Source source)
      implements Waiting {}

  /** Long content, paged to the SMS budget; the last page offers {@code done} and leads to {@code next}. */
  record Info(String id, String content, String done, String next, String invalid, String timeout, int timeoutSeconds, Source source)
      implements Waiting {}

  /**
   * Asks for a report's reference code. The host looks the code up (the engine does no I/O) and
   * gives the status; anything that is not shaped like a code is an invalid answer here.
   */
  record FollowUp(String id, String prompt, String invalid, String timeout, int timeoutSeconds, Source source) implements Waiting {}

  /**
   * Numbers abroad: the caller picks the country they are in (from {@code config/directory.yaml}),
   * then sees its numbers, with {@code done} leading to {@code next}.
   */
  record CountryNumbers(String id, String prompt, String done, String next, String invalid, String timeout, int timeoutSeconds, Source source)
      implements Waiting {}

  /** Says one message and moves on without waiting. */
  record Message(String id, String text, String next, Source source) implements Node {}

  /** Hands the saved answers to the host as a report; the message may use {reference}. */
  record SubmitReport(String id, String message, String next, Source source) implements Node {}

  /** Asks the host to put the caller in touch with a person. */
  record Handoff(String id, String message, String next, Source source) implements Node {}

  /** The conversation is over; the next message starts again at the main menu. */
  record End(String id, String message, Source source) implements Node {}
}
