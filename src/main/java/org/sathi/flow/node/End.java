package org.sathi.flow.node;

import java.util.List;
import java.util.Set;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/** The conversation is over, with an optional last message: {@code type: end}. The next message starts again at the main menu. */
public record End(String id, String message, Source source) implements Node {

  public static final NodeKind KIND = new NodeKind("end", Set.of("message"), End::read);

  static End read(NodeReader in) {
    return new End(in.id(), in.key("message", false), in.source());
  }

  @Override
  public List<String> exits() {
    return List.of();
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    if (message != null) keys.add(message);
  }

  @Override
  public String pass(Turn turn) {
    if (message != null) turn.say(message);
    turn.end(id);
    return null;
  }
}
