package org.sathi.duty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * Who is on call: {@code config/roster.yaml}. Officers (with the phone they are paged on, kept only
 * here) and shifts in a time zone, each with a primary, a backup and a supervisor.
 */
public record Roster(Map<String, Officer> officers, List<Shift> shifts) {

  public record Officer(String id, String name, String phone, String role) {
    @Override
    public String toString() {
      return id; // never the phone
    }
  }

  public record Shift(String name, ZoneId zone, Set<DayOfWeek> days, LocalTime from, LocalTime to,
      String primary, String backup, String supervisor) {

    /** Whether the shift covers this instant; a shift past midnight (from after to) runs into the next day. */
    boolean covers(Instant t) {
      ZonedDateTime local = t.atZone(zone);
      LocalTime time = local.toLocalTime();
      if (!from.isAfter(to)) {
        return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
      }
      if (!time.isBefore(from)) return days.contains(local.getDayOfWeek());
      return time.isBefore(to) && days.contains(local.getDayOfWeek().minus(1));
    }

    /** Level 0 primary, 1 backup, 2 supervisor. */
    String at(int level) {
      return switch (level) {
        case 0 -> primary;
        case 1 -> backup;
        case 2 -> supervisor;
        default -> null;
      };
    }
  }

  public Optional<Shift> onCall(Instant t) {
    return shifts.stream().filter(s -> s.covers(t)).findFirst();
  }

  /** The officer to page at escalation level 0, 1 or 2 at time t. */
  public Optional<Officer> toPage(Instant t, int level) {
    return onCall(t).map(s -> s.at(level)).map(officers::get);
  }

  public Optional<Officer> byPhone(String e164) {
    return officers.values().stream().filter(o -> o.phone().equals(e164)).findFirst();
  }

  public static Roster empty() {
    return new Roster(Map.of(), List.of());
  }

  /** A roster, or every problem in the file, each with file:line. */
  public record Loaded(Roster roster, List<Problem> problems) {}

  public static Loaded load(Path file) {
    String f = file.toString();
    List<Problem> problems = new ArrayList<>();
    if (!Files.exists(file)) return new Loaded(empty(), List.of());
    Mapping root;
    try {
      YamlTree tree = YamlTree.parse(Files.readString(file));
      if (!(tree instanceof Mapping m)) return new Loaded(null, List.of(new Problem(f, tree.line(), "expected officers: and shifts:")));
      root = m;
    } catch (YamlTree.SyntaxError e) {
      return new Loaded(null, List.of(new Problem(f, e.line, e.getMessage())));
    } catch (IOException e) {
      return new Loaded(null, List.of(new Problem(f, 1, "cannot read: " + e.getMessage())));
    }
    Map<String, Officer> officers = new LinkedHashMap<>();
    for (Mapping m : list(f, root, "officers", problems)) {
      String id = text(f, m, "id", problems);
      String name = text(f, m, "name", problems);
      String phone = text(f, m, "phone", problems);
      String role = text(f, m, "role", problems);
      if (phone != null && !org.sathi.privacy.CallerKey.E164.matcher(phone).matches()) {
        problems.add(new Problem(f, m.entries().get("phone").line(), "phone must be E.164, such as \"+8801700000000\""));
      }
      if (role != null && !Set.of("officer", "supervisor").contains(role)) {
        problems.add(new Problem(f, m.entries().get("role").line(), "role must be officer or supervisor"));
      }
      if (id != null && officers.put(id, new Officer(id, name, phone, role)) != null) {
        problems.add(new Problem(f, m.line(), "officer '" + id + "' is listed twice"));
      }
    }
    List<Shift> shifts = new ArrayList<>();
    for (Mapping m : list(f, root, "shifts", problems)) {
      String name = text(f, m, "name", problems);
      ZoneId zone = null;
      String zoneText = text(f, m, "timeZone", problems);
      try {
        if (zoneText != null) zone = ZoneId.of(zoneText);
      } catch (DateTimeException e) {
        problems.add(new Problem(f, m.entries().get("timeZone").line(), "unknown time zone '" + zoneText + "' (use names like Asia/Dhaka)"));
      }
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      if (m.get("days") instanceof Sequence s) {
        for (YamlTree d : s.items()) {
          try {
            days.add(DayOfWeek.valueOf(((Scalar) d).value().toUpperCase()));
          } catch (RuntimeException e) {
            problems.add(new Problem(f, d.line(), "days are MONDAY .. SUNDAY"));
          }
        }
      } else {
        days = EnumSet.allOf(DayOfWeek.class);
      }
      LocalTime from = time(f, m, "from", problems);
      LocalTime to = time(f, m, "to", problems);
      String primary = officer(f, m, "primary", officers, problems);
      String backup = officer(f, m, "backup", officers, problems);
      String supervisor = officer(f, m, "supervisor", officers, problems);
      if (zone != null && from != null && to != null) shifts.add(new Shift(name, zone, days, from, to, primary, backup, supervisor));
    }
    return problems.isEmpty() ? new Loaded(new Roster(officers, shifts), List.of()) : new Loaded(null, problems);
  }

  private static List<Mapping> list(String f, Mapping root, String field, List<Problem> problems) {
    YamlTree t = root.get(field);
    if (t == null) return List.of();
    if (!(t instanceof Sequence s)) {
      problems.add(new Problem(f, t.line(), "'" + field + "' must be a list"));
      return List.of();
    }
    List<Mapping> out = new ArrayList<>();
    for (YamlTree item : s.items()) {
      if (item instanceof Mapping m) out.add(m);
      else problems.add(new Problem(f, item.line(), "each entry of '" + field + "' must be a mapping"));
    }
    return out;
  }

  private static String text(String f, Mapping m, String field, List<Problem> problems) {
    if (m.get(field) instanceof Scalar s && s.value() != null && !s.value().isBlank()) return s.value();
    problems.add(new Problem(f, m.get(field) == null ? m.line() : m.get(field).line(), "missing '" + field + "'"));
    return null;
  }

  private static LocalTime time(String f, Mapping m, String field, List<Problem> problems) {
    String t = text(f, m, field, problems);
    if (t == null) return null;
    try {
      return LocalTime.parse(t);
    } catch (DateTimeException e) {
      problems.add(new Problem(f, m.get(field).line(), "'" + field + "' must be a time such as \"08:00\""));
      return null;
    }
  }

  private static String officer(String f, Mapping m, String field, Map<String, Officer> officers, List<Problem> problems) {
    String id = text(f, m, field, problems);
    if (id != null && !officers.containsKey(id)) {
      problems.add(new Problem(f, m.get(field).line(), "'" + field + "' names officer '" + id + "', who is not in officers:"));
    }
    return id;
  }
}
