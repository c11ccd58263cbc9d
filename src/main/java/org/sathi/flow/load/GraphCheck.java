package org.sathi.flow.load;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sathi.config.Problem;
import org.sathi.flow.Node;

/** The flows as a graph: every node reachable from the main menu, and no loop that never waits for the caller. */
final class GraphCheck {
  private final Map<String, Node> nodes;
  private final List<Problem> problems;

  private GraphCheck(Map<String, Node> nodes, List<Problem> problems) {
    this.nodes = nodes;
    this.problems = problems;
  }

  static void check(Map<String, Node> nodes, String mainMenu, List<Problem> problems) {
    GraphCheck g = new GraphCheck(nodes, problems);
    g.reachable(mainMenu);
    // A loop through nodes that never wait would spin forever within one turn.
    Map<String, Integer> state = new HashMap<>();
    for (Node n : nodes.values()) g.findLoop(n.id(), state, new ArrayList<>());
  }

  static List<String> exits(Node n) {
    List<String> out = new ArrayList<>(n.exits());
    out.removeIf(Objects::isNull);
    return out;
  }

  private void reachable(String mainMenu) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(mainMenu));
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (!seen.add(id) || !nodes.containsKey(id)) continue;
      todo.addAll(exits(nodes.get(id)));
    }
    for (Node n : nodes.values()) {
      if (!seen.contains(n.id())) {
        problems.add(new Problem(n.source().file(), n.source().line(), "node '" + n.id() + "' is unreachable from the main menu; link to it or remove it"));
      }
    }
  }

  private void findLoop(String id, Map<String, Integer> state, List<String> path) {
    Node n = nodes.get(id);
    if (n == null || n instanceof Node.Waiting || n.exits().isEmpty()) return;
    Integer s = state.get(id);
    if (s != null && s == 2) return;
    if (s != null && s == 1) {
      List<String> loop = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      loop.add(id);
      problems.add(new Problem(n.source().file(), n.source().line(), "loop without an exit: " + String.join(" -> ", loop) + " never waits for the caller"));
      return;
    }
    state.put(id, 1);
    path.add(id);
    for (String next : exits(n)) findLoop(next, state, path);
    path.remove(path.size() - 1);
    state.put(id, 2);
  }
}
