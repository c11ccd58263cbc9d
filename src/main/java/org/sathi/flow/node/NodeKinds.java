package org.sathi.flow.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every kind of node a flow may use, by its {@code type:}. A new kind is one file in this package
 * and one line here, and needs its engine fixture ({@code src/test/resources/engine/<type>.yaml}),
 * or the build fails.
 */
public final class NodeKinds {
  public static final List<NodeKind> ALL = List.of(
      Menu.KIND, LanguageChoice.KIND, Question.KIND, Info.KIND, Message.KIND, SubmitReport.KIND, Handoff.KIND, End.KIND,
      FollowUp.KIND, CountryNumbers.KIND, AreaChoice.KIND, AreaText.KIND);

  private static final Map<String, NodeKind> BY_NAME = ALL.stream().collect(Collectors.toMap(NodeKind::name, Function.identity()));

  private NodeKinds() {}

  public static Optional<NodeKind> byName(String type) {
    return Optional.ofNullable(BY_NAME.get(type));
  }
}
