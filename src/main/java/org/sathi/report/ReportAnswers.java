package org.sathi.report;

import java.util.Map;

/**
 * What the reporter told us, in the flow's own value codes (see ivr-flows/flows/report.yaml).
 *
 * @param who       self, child, children, adult, other; null if not asked
 * @param what      forced_labour, sexual_exploitation, forced_criminality, forced_begging, moved_or_sold,
 *                  forced_marriage, online_abuse, other
 * @param danger    yes, no, unsure
 * @param age       age in years, or null when unknown or not given
 * @param gender    boy, girl, other, unknown
 * @param place     free text
 * @param details   free text (SMS) or null
 * @param recording URL of a recorded account (voice) or null
 * @param contact   yes when the reporter agreed to be contacted back
 * @param placeRecording   URL of the recorded answer to "where is this?" (voice) or null
 * @param recordingSeconds how long the recorded account is, when the call said so
 * @param area      where, as an ISO 3166-2 code of config/places.yaml (BD-D, a division; BD-27, a district),
 *                  chosen or named in the place text; null when not known. Published tables count it
 *                  under {@link Places#rollUp}.
 */
public record ReportAnswers(String who, String what, String danger, Integer age, String gender, String place,
    String details, String recording, String contact, String placeRecording, Integer recordingSeconds, String area) {

  /** Answers without an area (a caller whose country has no areas, or a report from before places.yaml). */
  public ReportAnswers(String who, String what, String danger, Integer age, String gender, String place,
      String details, String recording, String contact, String placeRecording, Integer recordingSeconds) {
    this(who, what, danger, age, gender, place, details, recording, contact, placeRecording, recordingSeconds, null);
  }

  /** The saved answer beside a recording that says how long it is: {@code details.seconds}. */
  public static final String SECONDS = org.sathi.flow.Engine.SECONDS;

  /**
   * From the answers the engine saved under the flow's {@code save:} names. On a call the free-text
   * answer is the URL of a recording; in an SMS it is always the reporter's own text, links included.
   */
  public static ReportAnswers from(Map<String, String> saved, String channel) {
    String age = saved.get("age");
    Integer years = age != null && age.matches("\\d{1,3}") ? Integer.valueOf(age) : null;
    String details = saved.get("details");
    String recording = null;
    if (isRecording(channel, details)) {
      recording = details;
      details = null;
    }
    String place = saved.get("place");
    String placeRecording = null;
    if (isRecording(channel, place)) {
      placeRecording = place;
      place = null;
    }
    String seconds = saved.get("details" + SECONDS);
    Integer recordingSeconds = recording != null && seconds != null && seconds.matches("\\d{1,5}") ? Integer.valueOf(seconds) : null;
    String area = saved.get("area"); // "unknown" (the caller did not know) is no area
    return new ReportAnswers(saved.get("who"), saved.get("what"), saved.get("danger"), years, saved.get("gender"),
        place, details, recording, saved.get("contact"), placeRecording, recordingSeconds, area != null && Places.CODE.matcher(area).matches() ? area : null);
  }

  private static boolean isRecording(String channel, String answer) {
    return "voice".equals(channel) && answer != null && answer.startsWith("https://");
  }
}
