package org.sathi.report;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A report on the duty-officer queue: what the reporter said, how urgent it is, who has it. Never a
 * phone number: the caller is their keyed hash, and a number they agreed to be called back on is
 * only kept sealed ({@code sealedContact}).
 *
 * @param kind       {@code report} (the report flow) or {@code handoff} (asked for a person)
 * @param standards  the answers mapped onto the field's standards (config/crosswalk.yaml)
 * @param escalation how far paging has gone: 0 nobody paged yet, 1 primary, 2 backup, 3 supervisor
 * @param outcome    how it ended (an id of config/outcomes.yaml) once closed or referred; null while open
 */
public record Report(
    String reference,
    String kind,
    String channel,
    String language,
    Instant createdAt,
    String callerKey,
    ReportAnswers answers,
    Map<String, Object> standards,
    List<String> flags,
    Priority priority,
    Status status,
    String assignee,
    String acknowledgedBy,
    int escalation,
    String sealedContact,
    String outcome) {

  public enum Status { NEW, CLAIMED, IN_PROGRESS, REFERRED, CLOSED }

  /** A new report: not closed, so without an outcome. */
  public Report(String reference, String kind, String channel, String language, Instant createdAt, String callerKey, ReportAnswers answers,
      Map<String, Object> standards, List<String> flags, Priority priority, Status status, String assignee, String acknowledgedBy,
      int escalation, String sealedContact) {
    this(reference, kind, channel, language, createdAt, callerKey, answers, standards, flags, priority, status, assignee, acknowledgedBy,
        escalation, sealedContact, null);
  }

  public Report {
    flags = List.copyOf(flags);
    standards = standards == null ? Map.of() : Map.copyOf(standards);
  }

  public boolean open() {
    return status != Status.CLOSED && status != Status.REFERRED;
  }

  public Report acknowledged(String officer) {
    return new Report(reference, kind, channel, language, createdAt, callerKey, answers, standards, flags, priority, status, assignee,
        officer, escalation, sealedContact, outcome);
  }

  /**
   * Moved to another status: closing or referring needs {@code endedWith}, the outcome; back to an
   * open status the outcome is gone.
   */
  public Report withStatus(Status to, String assignedTo, String endedWith) {
    boolean done = to == Status.CLOSED || to == Status.REFERRED;
    return new Report(reference, kind, channel, language, createdAt, callerKey, answers, standards, flags, priority, to, assignedTo,
        acknowledgedBy, escalation, sealedContact, done ? endedWith : null);
  }

  public Report withStatus(Status to, String assignedTo) {
    return withStatus(to, assignedTo, to == Status.REFERRED ? Outcomes.REFERRED : null);
  }

  /** With the changeable fields (as the store keeps them apart) laid over the stored report. */
  public Report withState(Status status, String assignee, String acknowledgedBy, int escalation, String outcome) {
    return new Report(reference, kind, channel, language, createdAt, callerKey, answers, standards, flags, priority, status, assignee,
        acknowledgedBy, escalation, sealedContact, outcome);
  }

  /**
   * With what the reporter added later on the same call (a missed hand-off's answer to being called
   * back, its voicemail): answers, flags, priority and sealed contact; the rest as it was.
   */
  public Report amended(ReportAnswers answers, List<String> flags, Priority priority, String sealedContact) {
    return new Report(reference, kind, channel, language, createdAt, callerKey, answers, standards, flags, priority, status, assignee,
        acknowledgedBy, escalation, sealedContact, outcome);
  }

  public Report escalatedTo(int level) {
    return new Report(reference, kind, channel, language, createdAt, callerKey, answers, standards, flags, priority, status, assignee,
        acknowledgedBy, level, sealedContact, outcome);
  }
}
