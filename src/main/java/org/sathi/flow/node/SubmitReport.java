package org.sathi.flow.node;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/** Files the saved answers as a report: {@code type: report}. The message may say the code, {reference}. */
public record SubmitReport(String id, String message, String next, Source source) implements Node {

  public static final NodeKind KIND = new NodeKind("report", Set.of("message", "next"), SubmitReport::read);

  static SubmitReport read(NodeReader in) {
    return new SubmitReport(in.id(), in.key("message", true), in.target("next", true), in.source());
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
    String reference = turn.fileReport(id);
    turn.say(message, Map.of("reference", reference));
    return next;
  }

  /** This is the report the answers before it are for. */
  @Override
  public List<String> towardsReport() {
    return null;
  }
}
