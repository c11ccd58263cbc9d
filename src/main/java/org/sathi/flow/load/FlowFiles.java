package org.sathi.flow.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.sathi.config.ConfigFile;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.flow.Limits;
import org.sathi.flow.Node;
import org.sathi.flow.Node.Source;
import org.sathi.flow.node.NodeKind;
import org.sathi.flow.node.NodeKinds;
import org.sathi.flow.node.NodeReader;
import org.sathi.flow.node.NodeReader.KeyUse;
import org.sathi.flow.node.NodeReader.Target;

/** Reads {@code flows/*.yaml}: every node of every flow, by qualified id, each read by its kind. */
final class FlowFiles {
  final List<Problem> problems = new ArrayList<>();
  /** Each flow's start node, by flow id. */
  final Map<String, String> starts = new HashMap<>();
  /** Message keys each node uses, with where. */
  final List<KeyUse> keyUses = new ArrayList<>();
  /** A flow file could not be parsed (its problem is reported already). */
  boolean unreadable;
  private final List<Target> targets = new ArrayList<>();

  /** The nodes, or null when the folder cannot be listed. */
  Map<String, Node> read(Path flowsDir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(flowsDir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      problems.add(new Problem(flowsDir.toString(), 1, "cannot list flows: " + e.getMessage()));
      return null;
    }
    if (files.size() > Limits.MAX_FLOWS) {
      problems.add(new Problem(flowsDir.toString(), 1, files.size() + " flows; at most " + Limits.MAX_FLOWS + " (Limits.MAX_FLOWS)"));
    }
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, String> flowFiles = new HashMap<>();
    for (Path path : files) {
      ConfigFile file = new ConfigFile(path);
      readFlow(path, file, nodes, flowFiles);
      problems.addAll(file.problems);
    }
    for (Target t : targets) {
      if (!nodes.containsKey(NodeReader.qualify(t.flow(), t.raw()))) {
        String hint = t.raw().contains(".") ? "" : " (a node of another flow is written flow.node)";
        problems.add(new Problem(t.source().file(), t.source().line(), "exit to missing node '" + t.raw() + "'" + hint));
      }
    }
    return nodes;
  }

  private void readFlow(Path path, ConfigFile file, Map<String, Node> nodes, Map<String, String> flowFiles) {
    Mapping root = file.read(path);
    if (root == null) {
      unreadable = true;
      return;
    }
    file.allowOnly(root, Set.of("id", "start", "nodes"));
    String flow = file.string(root, "id", true);
    String start = file.string(root, "start", true);
    if (flow == null) return;
    if (!flow.matches("[a-z][a-z0-9_]*")) file.problem(file.lineOf(root, "id"), "flow id '" + flow + "' must be lower case letters, digits, _");
    if (flowFiles.containsKey(flow)) {
      file.problem(file.lineOf(root, "id"), "flow id '" + flow + "' is also used by " + flowFiles.get(flow));
      return;
    }
    flowFiles.put(flow, file.name);
    YamlTree nodesTree = root.get("nodes");
    if (!(nodesTree instanceof Mapping nm) || nm.entries().isEmpty()) {
      file.problem(nodesTree == null ? root.line() : nodesTree.line(), "'nodes' must map node ids to nodes");
      return;
    }
    if (nm.entries().size() > Limits.MAX_NODES_PER_FLOW) {
      file.problem(nm.line(), nm.entries().size() + " nodes; at most " + Limits.MAX_NODES_PER_FLOW + " per flow (Limits.MAX_NODES_PER_FLOW)");
    }
    for (Entry e : nm.entries().values()) {
      if (!e.key().matches("[a-z][a-z0-9_]*")) file.problem(e.line(), "node id '" + e.key() + "' must be lower case letters, digits, _");
      if (!(e.value() instanceof Mapping m)) {
        file.problem(e.line(), "node '" + e.key() + "' must be a mapping with a type");
        continue;
      }
      Node node = readNode(file, flow, flow + "." + e.key(), m, new Source(file.name, e.line()));
      if (node != null) nodes.put(node.id(), node);
    }
    if (start != null) {
      starts.put(flow, flow + "." + start);
      if (!nm.entries().containsKey(start)) file.problem(file.lineOf(root, "start"), "start node '" + start + "' is not one of this flow's nodes");
    }
  }

  private Node readNode(ConfigFile file, String flow, String id, Mapping m, Source src) {
    String type = file.string(m, "type", true);
    if (type == null) return null;
    NodeKind kind = NodeKinds.byName(type).orElse(null);
    if (kind == null) {
      Set<String> known = new TreeSet<>();
      NodeKinds.ALL.forEach(k -> known.add(k.name()));
      file.problem(file.lineOf(m, "type"), "unknown node type '" + type + "'; known types: " + String.join(", ", known));
      return null;
    }
    Set<String> allowed = new TreeSet<>(kind.fields());
    allowed.add("type");
    file.allowOnly(m, allowed);
    return kind.read().apply(new NodeReader(file, flow, id, m, src, keyUses, targets));
  }
}
