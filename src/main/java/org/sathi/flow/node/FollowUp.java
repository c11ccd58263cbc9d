package org.sathi.flow.node;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.sathi.flow.Node;
import org.sathi.flow.Step.Wait;
import org.sathi.flow.Turn;

/**
 * Asks for a report's reference code: {@code type: followup}. The host looks the code up (the
 * engine does no I/O) and gives the status; anything that is not shaped like a code is an invalid
 * answer here.
 */
public record FollowUp(String id, String prompt, String invalid, String timeout, int timeoutSeconds, Source source) implements Node.Waiting {

  public static final NodeKind KIND = new NodeKind("followup", NodeKind.waiting("prompt"), FollowUp::read);

  static FollowUp read(NodeReader in) {
    return new FollowUp(in.id(), in.key("prompt", true), in.target("invalid", false), in.target("timeout", false), in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    return Arrays.asList(invalid, timeout);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(prompt);
  }

  @Override
  public void render(Turn turn) {
    turn.say(prompt);
  }

  /** A code never reaches the engine: the host looks it up. */
  @Override
  public void answer(Turn turn, String raw, String text) {
    turn.invalid();
  }

  @Override
  public Wait waits() {
    return Wait.TEXT;
  }

  @Override
  public String hint() {
    return "followup.unknown";
  }
}
