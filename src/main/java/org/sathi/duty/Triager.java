package org.sathi.duty;

import java.util.List;
import org.sathi.report.Priority;
import org.sathi.report.ReportAnswers;

/** Decides how urgent a new queue item is; the rules live in config/triage.yaml. */
public interface Triager {

  /** @param reasons one line per rule that fired, for the timeline */
  record Triaged(Priority priority, List<String> flags, List<String> reasons) {}

  /** @param kind {@code report} or {@code handoff}; answers are null for a hand-off */
  Triaged assess(String kind, String language, ReportAnswers answers, long samePlaceLastDay);

  static Triager none() {
    return (kind, language, answers, same) -> new Triaged(Priority.P3, List.of(), List.of());
  }
}
