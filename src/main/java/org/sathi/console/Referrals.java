package org.sathi.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * The services an officer can refer a case to: {@code config/referrals.yaml}. Shelters, legal aid,
 * psychosocial counselling, police anti-trafficking units, embassies. These are services' public
 * numbers, shown to officers in the console; they never go to a reporter from here. Validated whole
 * at load, with {@code file:line}.
 */
public record Referrals(List<Service> services) {

  public static final Set<String> KINDS = Set.of("shelter", "legal", "counselling", "police", "embassy", "health", "other");
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  /** @param sample true while the entry is an example to be replaced with a verified service */
  public record Service(String id, String name, String kind, String area, String phone, String hours, boolean sample) {}

  public Referrals {
    services = List.copyOf(services);
  }

  public Optional<Service> find(String id) {
    return services.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public long samples() {
    return services.stream().filter(Service::sample).count();
  }

  public static Referrals none() {
    return new Referrals(List.of());
  }

  /** The services, or every problem in the file (then {@code referrals} is null). A missing file is no services. */
  public record Loaded(Referrals referrals, List<Problem> problems) {}

  public static Loaded load(Path file) {
    String f = file.toString();
    if (!Files.exists(file)) return new Loaded(none(), List.of());
    YamlTree tree;
    try {
      tree = YamlTree.parse(Files.readString(file));
    } catch (YamlTree.SyntaxError e) {
      return new Loaded(null, List.of(new Problem(f, e.line, e.getMessage())));
    } catch (IOException e) {
      return new Loaded(null, List.of(new Problem(f, 1, "cannot read: " + e.getMessage())));
    }
    List<Problem> problems = new ArrayList<>();
    if (!(tree instanceof Mapping root) || !(root.get("services") instanceof Sequence list)) {
      return new Loaded(null, List.of(new Problem(f, tree.line(), "expected services: a list of { id, name, kind, area, phone, hours }")));
    }
    Map<String, Service> byId = new LinkedHashMap<>();
    for (YamlTree item : list.items()) {
      if (!(item instanceof Mapping m)) {
        problems.add(new Problem(f, item.line(), "each service is a mapping { id, name, kind, area, phone, hours }"));
        continue;
      }
      String id = text(f, m, "id", true, problems);
      String name = text(f, m, "name", true, problems);
      String kind = text(f, m, "kind", true, problems);
      String area = text(f, m, "area", false, problems);
      String phone = text(f, m, "phone", false, problems);
      String hours = text(f, m, "hours", false, problems);
      String sample = text(f, m, "sample", false, problems);
      if (id != null && !ID.matcher(id).matches()) {
        problems.add(new Problem(f, m.get("id").line(), "id '" + id + "' must be lower-case letters, digits and '-'"));
      }
      if (kind != null && !KINDS.contains(kind)) {
        problems.add(new Problem(f, m.get("kind").line(), "kind '" + kind + "' is not one of " + String.join(", ", new java.util.TreeSet<>(KINDS))));
      }
      if (phone != null && !phone.matches("\\+?[0-9][0-9 -]{1,19}")) {
        problems.add(new Problem(f, m.get("phone").line(), "phone must be digits, such as \"+8809612600600\" or \"1098\""));
      }
      if (sample != null && !sample.equals("true") && !sample.equals("false")) {
        problems.add(new Problem(f, m.get("sample").line(), "sample is true or false"));
      }
      if (id != null && byId.put(id, new Service(id, name, kind, area, phone, hours, "true".equals(sample))) != null) {
        problems.add(new Problem(f, m.line(), "service '" + id + "' is listed twice"));
      }
    }
    return problems.isEmpty() ? new Loaded(new Referrals(List.copyOf(byId.values())), List.of()) : new Loaded(null, problems);
  }

  private static String text(String f, Mapping m, String field, boolean required, List<Problem> problems) {
    YamlTree v = m.get(field);
    if (v instanceof Scalar s && s.value() != null && !s.value().isBlank()) return s.value().strip();
    if (v != null && !(v instanceof Scalar)) problems.add(new Problem(f, v.line(), "'" + field + "' must be text"));
    else if (required) problems.add(new Problem(f, m.line(), "missing '" + field + "'"));
    return null;
  }
}
