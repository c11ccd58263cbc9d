package org.sathi.flow.node;

import java.util.Set;
import java.util.function.Function;
import org.sathi.flow.Node;

/**
 * A kind of node: its {@code type:} in a flow file, the fields it may have besides {@code type},
 * and how it is read. Each kind is one file of this package; {@link NodeKinds} lists them.
 */
public record NodeKind(String name, Set<String> fields, Function<NodeReader, Node> read) {

  /** Fields every waiting node may have: where three invalid answers and silence lead, and how long a call waits. */
  static final Set<String> WAITING = Set.of("invalid", "timeout", "timeoutSeconds");

  static Set<String> waiting(String... fields) {
    Set<String> out = new java.util.HashSet<>(WAITING);
    out.addAll(Set.of(fields));
    return Set.copyOf(out);
  }
}
