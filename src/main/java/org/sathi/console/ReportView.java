package org.sathi.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import org.sathi.report.Report;
import org.sathi.report.ReportAnswers;
import org.sathi.report.TimelineEntry;

/**
 * Reports as the console API shows them. Fields are picked one by one, never the stored record
 * serialised whole, so the caller key and the sealed contact cannot slip out when the record grows.
 * Free text (place, details, timeline) has anything that looks like a phone number blanked:
 * a reporter may type their own number, and the console must never show one.
 */
public final class ReportView {
  /**
   * Seven or more digits (in any script), perhaps with a leading + and up to three separators
   * between them: spaces, dots, dashes, brackets, commas, slashes, underscores (01712,345,678 and
   * 017/1234/5678 are numbers too). A date or an amount may be hidden as well: better too much.
   */
  static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\p{Nd}(?:[\\s().,/_\\-]{0,3}\\p{Nd}){6,}");
  static final String HIDDEN = "[number hidden]";

  private ReportView() {}

  /** A line of the queue. */
  public static JsonObject summary(Report r) {
    return new JsonObject()
        .put("reference", r.reference())
        .put("priority", r.priority().name())
        .put("status", r.status().name())
        .put("createdAt", r.createdAt().toString())
        .put("channel", r.channel())
        .put("language", r.language())
        .put("flags", new JsonArray(List.copyOf(r.flags())))
        .put("assignee", r.assignee())
        .put("acknowledgedBy", r.acknowledgedBy())
        .put("kind", r.kind())
        .put("outcome", r.outcome());
  }

  /** One report: the queue line, the answers, their standards mapping and the timeline. */
  public static JsonObject detail(Report r, List<TimelineEntry> timeline) {
    JsonArray events = new JsonArray();
    for (TimelineEntry e : timeline) {
      events.add(new JsonObject().put("at", e.at().toString()).put("kind", e.kind()).put("actor", e.actor()).put("text", withoutNumbers(e.text())));
    }
    return summary(r)
        .put("answers", answers(r.answers()))
        .put("standards", new JsonObject(r.standards()).copy())
        .put("timeline", events);
  }

  static JsonObject answers(ReportAnswers a) {
    if (a == null) return new JsonObject();
    return new JsonObject()
        .put("who", a.who())
        .put("what", a.what())
        .put("danger", a.danger())
        .put("age", a.age())
        .put("gender", a.gender())
        .put("place", withoutNumbers(a.place()))
        .put("area", a.area())
        .put("details", withoutNumbers(a.details()))
        // The recording's Twilio URL is not for the browser: officers will play it through Sathi (console issue).
        .put("hasRecording", a.recording() != null || a.placeRecording() != null)
        .put("contact", a.contact());
  }

  static String withoutNumbers(String text) {
    return text == null ? null : PHONE_LIKE.matcher(text).replaceAll(HIDDEN);
  }
}
