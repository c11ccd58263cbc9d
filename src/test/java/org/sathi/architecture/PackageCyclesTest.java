package org.sathi.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of {@code src/main/java} depends on itself through others (DESIGN.md §5: one concept,
 * one place). A dependency is any reference to another package's class, imported or written out.
 */
class PackageCyclesTest {
  static final Path SOURCES = Path.of("src/main/java");
  static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  static final Pattern REFERENCE = Pattern.compile("org\\.sathi\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");

  @Test
  void noPackageDependsOnItselfThroughOthers() throws IOException {
    Map<String, Set<String>> deps = dependencies();
    assertThat(deps).as("the sources were read").containsKeys("org.sathi.flow", "org.sathi.turn", "org.sathi.server");
    List<String> cycles = new ArrayList<>();
    for (Set<String> group : new Tarjan(deps).groups()) {
      if (group.size() < 2) continue;
      List<String> edges = new ArrayList<>();
      for (String from : group) for (String to : deps.getOrDefault(from, Set.of())) if (group.contains(to)) edges.add(from + " -> " + to);
      cycles.add(String.join(", ", edges));
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  static Map<String, Set<String>> dependencies() throws IOException {
    Map<String, Set<String>> deps = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        Matcher pkg = PACKAGE.matcher(text);
        if (!pkg.find()) continue;
        Set<String> out = deps.computeIfAbsent(pkg.group(1), k -> new TreeSet<>());
        Matcher ref = REFERENCE.matcher(text);
        while (ref.find()) {
          String to = "org.sathi." + ref.group(1);
          if (!to.equals(pkg.group(1))) out.add(to);
        }
      }
    }
    return deps;
  }

  /** Strongly connected components: each is a set of packages that all reach one another. */
  static final class Tarjan {
    final Map<String, Set<String>> deps;
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> low = new HashMap<>();
    final List<String> stack = new ArrayList<>();
    final List<Set<String>> groups = new ArrayList<>();

    Tarjan(Map<String, Set<String>> deps) {
      this.deps = deps;
    }

    List<Set<String>> groups() {
      for (String v : deps.keySet()) if (!index.containsKey(v)) visit(v);
      return groups;
    }

    void visit(String v) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.add(v);
      for (String w : deps.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (stack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        Set<String> group = new TreeSet<>();
        String w;
        do {
          w = stack.remove(stack.size() - 1);
          group.add(w);
        } while (!w.equals(v));
        groups.add(group);
      }
    }
  }
}
