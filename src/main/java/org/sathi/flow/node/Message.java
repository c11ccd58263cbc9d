package org.sathi.flow.node;

import java.util.List;
import java.util.Set;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/** Says one message and moves on without waiting: {@code type: message}. */
public record Message(String id, String text, String next, Source source) implements Node {

  public static final NodeKind KIND = new NodeKind("message", Set.of("text", "next"), Message::read);

  static Message read(NodeReader in) {
    return new Message(in.id(), in.key("text", true), in.target("next", true), in.source());
  }

  @Override
  public List<String> exits() {
    return java.util.Arrays.asList(next);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(text);
  }

  @Override
  public String pass(Turn turn) {
    turn.say(text);
    return next;
  }

  @Override
  public List<String> towardsReport() {
    return List.of(next);
  }
}
