package org.sathi.flow.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.sathi.config.ConfigFile;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.flow.Limits;
import org.sathi.flow.Node.Option;
import org.sathi.flow.Node.Source;

/**
 * Reads one node of a flow file: each field with its line, recording problems in the file
 * instead of throwing, and every message key and target it names for the loader's later checks.
 */
public final class NodeReader {
  /** A message key a node uses, with where. */
  public record KeyUse(String key, Source source) {}

  /** A target as written ({@code node} or {@code flow.node}), resolved once every flow is read. */
  public record Target(String flow, String raw, Source source) {}

  private final ConfigFile file;
  private final String flow;
  private final String id;
  private final Mapping node;
  private final Source source;
  private final List<KeyUse> keyUses;
  private final List<Target> targets;

  public NodeReader(ConfigFile file, String flow, String id, Mapping node, Source source, List<KeyUse> keyUses, List<Target> targets) {
    this.file = file;
    this.flow = flow;
    this.id = id;
    this.node = node;
    this.source = source;
    this.keyUses = keyUses;
    this.targets = targets;
  }

  /** The qualified id, {@code flow.node}. */
  public String id() {
    return id;
  }

  public Source source() {
    return source;
  }

  public static String qualify(String flow, String raw) {
    return raw.contains(".") ? raw : flow + "." + raw;
  }

  void problem(String field, String message) {
    file.problem(field == null ? node.line() : file.lineOf(node, field), message);
  }

  boolean has(String field) {
    return node.get(field) != null;
  }

  String string(String field, boolean required) {
    return file.string(node, field, required);
  }

  /** A message key. */
  String key(String field, boolean required) {
    return key(node, field, required);
  }

  private String key(Mapping m, String field, boolean required) {
    String key = file.string(m, field, required);
    if (key != null) keyUses.add(new KeyUse(key, new Source(file.name, file.lineOf(m, field))));
    return key;
  }

  /** A message key, or the default one when the field is absent. */
  String keyOr(String field, String fallback) {
    String key = key(field, false);
    if (key != null) return key;
    keyUses.add(new KeyUse(fallback, source));
    return fallback;
  }

  /** The qualified id of the node a field leads to; null when it is absent. */
  String target(String field, boolean required) {
    return target(node, field, required);
  }

  private String target(Mapping m, String field, boolean required) {
    String raw = file.string(m, field, required);
    if (raw == null) return null;
    targets.add(new Target(flow, raw, new Source(file.name, file.lineOf(m, field))));
    return qualify(flow, raw);
  }

  boolean bool(String field, boolean fallback) {
    return file.bool(node, field, fallback);
  }

  int integer(String field, int fallback) {
    YamlTree t = node.get(field);
    if (t == null) return fallback;
    if (t instanceof Scalar s && s.value() != null && s.value().matches("-?\\d{1,9}")) return Integer.parseInt(s.value());
    problem(field, "'" + field + "' must be a whole number");
    return fallback;
  }

  /** How long a call waits for keys here: 0 (the configured default) or 1..{@value Limits#MAX_TIMEOUT_SECONDS}. */
  int seconds() {
    int s = integer("timeoutSeconds", 0);
    if (has("timeoutSeconds") && (s < 1 || s > Limits.MAX_TIMEOUT_SECONDS)) {
      problem("timeoutSeconds", "timeoutSeconds must be 1.." + Limits.MAX_TIMEOUT_SECONDS);
      return 0;
    }
    return s;
  }

  /** A menu's options lead somewhere ({@code goto}); a choice question's save a {@code value} and may lead elsewhere. */
  List<Option> options(boolean isMenu) {
    YamlTree t = node.get("options");
    if (!(t instanceof Sequence seq) || seq.items().isEmpty()) {
      file.problem(t == null ? node.line() : t.line(), "'options' must be a list of { digit, label, " + (isMenu ? "goto" : "value") + " }");
      return List.of();
    }
    if (seq.items().size() > Limits.MAX_OPTIONS_PER_MENU) {
      file.problem(seq.line(), seq.items().size() + " options; at most " + Limits.MAX_OPTIONS_PER_MENU + " (one digit each)");
    }
    List<Option> options = new ArrayList<>();
    Set<String> digits = new HashSet<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping om)) {
        file.problem(item.line(), "an option must be a mapping { digit, label, ... }");
        continue;
      }
      Source os = new Source(file.name, om.line());
      file.allowOnly(om, Set.of("digit", "label", "goto", "value"));
      String digit = file.string(om, "digit", true);
      if (digit != null && !digit.matches("[0-9]")) file.problem(om.line(), "option digit '" + digit + "' must be one digit 0-9");
      if (digit != null && !digits.add(digit)) file.problem(om.line(), "digit " + digit + " is used twice in this list");
      String label = key(om, "label", true);
      String target = target(om, "goto", isMenu);
      String value = file.string(om, "value", !isMenu);
      options.add(new Option(digit, label, target, value, os));
    }
    return List.copyOf(options);
  }
}
