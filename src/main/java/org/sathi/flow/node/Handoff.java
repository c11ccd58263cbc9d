package org.sathi.flow.node;

import java.util.List;
import java.util.Set;
import org.sathi.flow.Event.HandoffRequested;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/** Asks the host to put the caller in touch with a person: {@code type: handoff}. */
public record Handoff(String id, String message, String next, Source source) implements Node {

  public static final NodeKind KIND = new NodeKind("handoff", Set.of("message", "next"), Handoff::read);

  static Handoff read(NodeReader in) {
    return new Handoff(in.id(), in.key("message", true), in.target("next", true), in.source());
  }

  @Override
  public List<String> exits() {
    return java.util.Arrays.asList(next);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(message);
  }

  @Override
  public String pass(Turn turn) {
    turn.event(new HandoffRequested(turn.conversation().language(), id));
    turn.say(message);
    return next;
  }
}
