package org.sathi.flow;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.flow.Step.Wait;

/**
 * One node of a flow. Each kind of node is one file in {@code flow/node/}, registered in
 * {@code NodeKinds}: how it is read from YAML, where it leads, what a call may say there, and what
 * it does on a turn. Targets ({@code next}, {@code goto}, ...) are qualified ids, {@code flow.node},
 * resolved by the loader. Nodes that wait for the caller are {@link Waiting}; the others pass
 * through within a turn.
 */
public interface Node {
  String id();

  Source source();

  /** Every node this one can lead to, for the loader's reachability and loop checks. */
  List<String> exits();

  /** The message keys a call can play here, and the digits it asks the caller to press. */
  void promptKeys(Set<String> keys, Set<String> digits);

  /**
   * Passing through within a turn: says what it says, does what it does, and gives the node to
   * enter next, or null when the conversation is over here. A {@link Waiting} node is never
   * entered this way: the engine rests the conversation on it.
   */
  String pass(Turn turn);

  /** The answer this node saves, or null. */
  default String saves() {
    return null;
  }

  /**
   * The nodes a caller answering a report's questions goes on to from here: only questions and
   * messages lead on; null when this node files the report.
   */
  default List<String> towardsReport() {
    return List.of();
  }

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
  interface Waiting extends Node {
    /** Where the third invalid answer in a row is sent; null for the main menu. */
    String invalid();

    /** Where a silent caller (voice) is sent; null for the main menu. */
    String timeout();

    /** How long a call waits for keys here, in seconds; 0 for the configured default (voice.gatherTimeoutSeconds). */
    int timeoutSeconds();

    /** Shows the node's screen (the prompt and its options) for the conversation as it is. */
    void render(Turn turn);

    /**
     * Where a caller goes instead of this screen when it has nothing to ask them (no areas for
     * their country), without waiting; null: the screen is shown.
     */
    default String skip(Turn turn) {
      return null;
    }

    /** A text or keys that are not a word that works everywhere; {@code text} is normalised, {@code raw} as typed. */
    void answer(Turn turn, String raw, String text);

    /** What the caller is expected to do here. */
    default Wait waits() {
      return Wait.CHOICE;
    }

    /** The message key of the hint after an answer that does not fit, and the values it fills in. */
    default String hint() {
      return "common.invalid.choice";
    }

    default Map<String, String> hintArgs() {
      return Map.of();
    }

    /**
     * After the hint: the screen again, or the hint alone when both would not fit the reply budget
     * (the caller still has the screen). {@code hintAt} is where the hint begins in the reply.
     */
    default void remind(Turn turn, int hintAt) {
      turn.render(this);
      turn.hintAloneUnlessItFits(this, hintAt);
    }

    /** Whether 0 on a call goes to the language menu here: a screen of options with no 0 of its own. */
    default boolean offersLanguageChange() {
      return false;
    }

    /** Whether this is the language menu (0 on a call leads to it). */
    default boolean choosesLanguage() {
      return false;
    }

    /** {@code *} on a call: true when the node takes it as an answer; otherwise the screen is said again. */
    default boolean star(Turn turn) {
      return false;
    }

    /** A recorded answer (voice); only a text question takes one. */
    default void recording(Turn turn, String url, Integer seconds) {
      turn.invalid();
    }

    @Override
    default String pass(Turn turn) {
      throw new IllegalStateException("a waiting node is not passed through: " + id());
    }
  }

  /** What a list of options asks a call to play: each label, and "press N" for each digit. */
  static void optionKeys(List<Option> options, Set<String> keys, Set<String> digits) {
    for (Option o : options) {
      keys.add(o.label());
      digits.add(o.digit());
    }
  }

  /** The digits of options, for {@link Waiting#offersLanguageChange()}. */
  static boolean hasNoZero(List<Option> options) {
    return options.stream().noneMatch(o -> o.digit().equals("0"));
  }
}
