package org.sathi.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.sathi.config.ConfigFile;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * How a report can end ({@code config/outcomes.yaml}): the ids an officer closes a report with, and
 * statistics count reports by. Validated whole at load, with {@code file:line}.
 */
public record Outcomes(List<Outcome> outcomes) {

  public static final Path FILE = Path.of("config/outcomes.yaml");
  /** The outcome of a report referred to a service from the console; the file must list it. */
  public static final String REFERRED = "referred";
  /** The key statistics count a report under while it has no outcome yet. */
  public static final String OPEN = "open";
  static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  /** @param labels the console's words for it, per console language; {@code en} is always there */
  public record Outcome(String id, Map<String, String> labels, String meaning) {
    public Outcome {
      labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public String label(String language) {
      return labels.getOrDefault(language, labels.get("en"));
    }
  }

  public Outcomes {
    outcomes = List.copyOf(outcomes);
  }

  public Optional<Outcome> find(String id) {
    return outcomes.stream().filter(o -> o.id().equals(id)).findFirst();
  }

  public List<String> ids() {
    return outcomes.stream().map(Outcome::id).toList();
  }

  /** The outcomes, or every problem found in the file (then {@code outcomes} is null). */
  public record Loaded(Outcomes outcomes, List<Problem> problems) {}

  /**
   * The shipped file, for tools and tests that do not load the whole configuration; it must be valid.
   */
  public static Outcomes shipped() {
    Loaded loaded = load(FILE);
    if (loaded.outcomes() == null) throw new IllegalStateException(FILE + " is not valid: " + loaded.problems());
    return loaded.outcomes();
  }

  public static Loaded load(Path file) {
    ConfigFile f = new ConfigFile(file);
    Mapping root = f.read(file);
    List<Outcome> out = new ArrayList<>();
    if (root != null) {
      f.allowOnly(root, Set.of("outcomes"));
      if (!(root.get("outcomes") instanceof Sequence list) || list.items().isEmpty()) {
        f.problem(root.get("outcomes") == null ? root.line() : f.lineOf(root, "outcomes"),
            "'outcomes' must list how a report can end: - { id: resolved, label: { en: \"Resolved\" }, meaning: \"...\" }");
      } else {
        readList(f, list, out);
      }
    }
    List<Problem> problems = new ArrayList<>(f.problems);
    Collections.sort(problems);
    return problems.isEmpty() ? new Loaded(new Outcomes(out), List.of()) : new Loaded(null, List.copyOf(problems));
  }

  private static void readList(ConfigFile f, Sequence list, List<Outcome> out) {
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (YamlTree item : list.items()) {
      if (!(item instanceof Mapping m)) {
        f.problem(item.line(), "each outcome is a mapping { id, label: { en: ... }, meaning }");
        continue;
      }
      f.allowOnly(m, Set.of("id", "label", "meaning"));
      String id = f.string(m, "id", true);
      String meaning = f.string(m, "meaning", true);
      Map<String, String> labels = labels(f, m);
      if (id == null) continue;
      if (!ID.matcher(id).matches()) {
        f.problem(f.lineOf(m, "id"), "outcome id '" + id + "' must be lower-case letters, digits and '_', starting with a letter");
        continue;
      }
      if (id.equals(OPEN)) {
        f.problem(f.lineOf(m, "id"), "'" + OPEN + "' is what statistics call a report not closed yet; choose another id");
        continue;
      }
      Integer first = seen.putIfAbsent(id, f.lineOf(m, "id"));
      if (first != null) {
        f.problem(f.lineOf(m, "id"), "outcome id '" + id + "' is already used on line " + first);
        continue;
      }
      if (labels != null && meaning != null) out.add(new Outcome(id, labels, meaning));
    }
    if (!seen.containsKey(REFERRED)) {
      f.problem(list.line(), "the outcomes must include '" + REFERRED + "': a report referred from the console ends with it");
    }
  }

  private static Map<String, String> labels(ConfigFile f, Mapping m) {
    if (!(m.get("label") instanceof Mapping labels)) {
      f.problem(m.get("label") == null ? m.line() : f.lineOf(m, "label"), "'label' must give the console's words per language: { en: \"Resolved\" }");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Entry e : labels.entries().values()) {
      if (!(e.value() instanceof Scalar s) || s.value().isBlank()) {
        f.problem(e.line(), "label '" + e.key() + "' must be a short text");
        return null;
      }
      out.put(e.key(), s.value().strip());
    }
    if (!out.containsKey("en")) {
      f.problem(labels.line(), "'label' needs 'en', the words shown when a console language has none");
      return null;
    }
    return out;
  }
}
