package org.sathi.flow.node;

import java.util.List;
import java.util.Set;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/**
 * The area a free-text answer names: {@code type: areatext}, passed through without waiting. It
 * reads the answer saved as {@code text} (where the caller wrote the place) and matches it against
 * the names of their country's areas ({@code config/places.yaml}) in their language and English.
 * When no area was chosen ({@code save} is missing or "don't know"), the area it names is saved;
 * when one was, a district within it that the text names is saved instead (it is more precise), and
 * a text that names somewhere else changes nothing: the caller's own choice stands. A recording (a
 * call's answer) is not text and is left alone.
 */
public record AreaText(String id, String text, String save, String next, Source source) implements Node {

  public static final NodeKind KIND = new NodeKind("areatext", Set.of("text", "save", "next"), AreaText::read);

  static AreaText read(NodeReader in) {
    return new AreaText(in.id(), in.string("text", true), in.string("save", true), in.target("next", true), in.source());
  }

  @Override
  public List<String> exits() {
    return java.util.Arrays.asList(next);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {}

  @Override
  public String saves() {
    return save;
  }

  @Override
  public String pass(Turn turn) {
    String written = turn.conversation().answers().get(text);
    if (written == null || written.startsWith("https://")) return next;
    String chosen = turn.conversation().answers().get(save);
    String within = chosen == null || chosen.equals(AreaChoice.UNKNOWN) ? null : chosen;
    turn.bundle().areas().match(turn.callingCode(), turn.conversation().language(), written, within)
        .filter(code -> !code.equals(chosen))
        .ifPresent(code -> turn.save(save, code));
    return next;
  }

  @Override
  public List<String> towardsReport() {
    return List.of(next);
  }
}
