package org.sathi.flow;

import java.util.List;
import java.util.Map;

/**
 * Where a caller is in the flows. Immutable; the engine returns a new one each turn. This is what
 * the session store keeps, under the caller's keyed hash, never the number.
 *
 * @param node    the waiting node (qualified id) the caller is answering
 * @param page    the page shown, for an info node
 * @param invalid invalid answers in a row at this node
 * @param silences timeouts in a row at this node (voice: the caller said and pressed nothing)
 * @param history waiting nodes visited before this one, for "back"
 * @param answers answers saved so far in this conversation
 * @param ended   the flow reached an end node
 */
public record Conversation(
    String language,
    String node,
    int page,
    int invalid,
    int silences,
    List<String> history,
    Map<String, String> answers,
    boolean ended) {

  public Conversation {
    history = List.copyOf(history);
    answers = Map.copyOf(answers);
  }

  public static Conversation fresh(String language) {
    return new Conversation(language, null, 0, 0, 0, List.of(), Map.of(), false);
  }
}
