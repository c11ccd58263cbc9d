package org.sathi.duty;

import java.util.List;
import org.sathi.report.Assessment;
import org.sathi.report.Priority;
import org.sathi.report.Triage;
import org.sathi.report.ReportAnswers;

/** Decides how urgent a new queue item is; the rules live in config/triage.yaml. */
public interface Triager {

  /** @param reasons one line per rule that fired, for the timeline */
  record Triaged(Priority priority, List<String> flags, List<String> reasons) {}

  /** @param kind {@code report} or {@code handoff}; answers are null for a hand-off */
  Triaged assess(String kind, String language, ReportAnswers answers, long samePlaceLastDay);

  /** The rules of config/triage.yaml. */
  static Triager rules(Triage triage) {
    return (kind, language, answers, same) -> {
      Assessment a = triage.assess(new Triage.Item(kind.equals("handoff") ? Triage.Kind.HANDOFF : Triage.Kind.REPORT, language, answers,
          (int) Math.min(same, Integer.MAX_VALUE)));
      return new Triaged(a.priority(), List.copyOf(a.flags()), a.fired().stream().map(f -> f.ruleId() + ": " + f.reason()).toList());
    };
  }

  static Triager none() {
    return (kind, language, answers, same) -> new Triaged(Priority.P3, List.of(), List.of());
  }
}
