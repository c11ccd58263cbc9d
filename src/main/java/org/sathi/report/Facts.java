package org.sathi.report;

import java.util.List;

/**
 * What statistics (org.sathi.statistics) know of one report: codes only, never words a reporter typed, a number or a
 * reference. The stores keep one line of these per report ({@link #encode}), so that a table over a
 * quarter reads a few bytes per report instead of every report.
 *
 * @param createdMillis when the report was received
 * @param gender        the flow's code (girl, boy, other, unknown) or null when not asked
 * @param age           years, or null
 * @param what          the flow's "what is happening" code, or null
 * @param area          the ISO 3166-2 code of the place, as specific as the reporter said, or null
 * @param channel       the report's channel name (as {@link Report#channel()})
 * @param language      the conversation's language
 * @param contactType   report, handoff, voicemail or missed_handoff
 * @param outcome       an outcome id once the report ended, else null
 */
public record Facts(long createdMillis, String gender, Integer age, String what, String area, String channel, String language,
    String contactType, String outcome) {

  static final String VERSION = "f1";
  /** The flag a hand-off carries when the officer's phone rang out. */
  public static final String MISSED_HANDOFF = "missed_handoff";
  /** The flag a voicemail left after an unanswered hand-off carries. */
  public static final String VOICEMAIL = "voicemail";

  public static Facts of(Report r) {
    ReportAnswers a = r.answers();
    // A voicemail is filed as a report flagged "voicemail" (the duty desk's), and counts as its own contact type.
    String contactType = r.flags().contains(MISSED_HANDOFF) ? MISSED_HANDOFF : r.flags().contains(VOICEMAIL) ? VOICEMAIL : r.kind();
    boolean ended = !r.open();
    String outcome = !ended ? null : r.outcome() != null ? r.outcome() : r.status() == Report.Status.REFERRED ? Outcomes.REFERRED : null;
    return new Facts(r.createdAt().toEpochMilli(), a == null ? null : a.gender(), a == null ? null : a.age(), a == null ? null : a.what(),
        a == null ? null : area(a), r.channel(), r.language(), contactType, outcome);
  }

  /** The area code the reporter gave (config/places.yaml), or null. */
  private static String area(ReportAnswers a) {
    return a.area();
  }

  /** One line: {@code f1|created|gender|age|what|area|channel|language|contactType|outcome}, empty for null. */
  public String encode() {
    return String.join("|", VERSION, Long.toString(createdMillis), code(gender), age == null ? "" : age.toString(), code(what), code(area),
        code(channel), code(language), code(contactType), code(outcome));
  }

  public static Facts decode(String line) {
    String[] p = line.split("\\|", -1);
    if (p.length != 10 || !VERSION.equals(p[0])) throw new IllegalArgumentException("not a statistics line of version " + VERSION);
    return new Facts(Long.parseLong(p[1]), nul(p[2]), p[3].isEmpty() ? null : Integer.valueOf(p[3]), nul(p[4]), nul(p[5]), nul(p[6]),
        nul(p[7]), nul(p[8]), nul(p[9]));
  }

  public static List<Facts> decodeAll(List<String> lines) {
    return lines.stream().map(Facts::decode).toList();
  }

  /** Codes never hold '|'; one that did (a hand-edited config) is kept readable rather than splitting the line. */
  private static String code(String value) {
    return value == null ? "" : value.replace('|', '/');
  }

  private static String nul(String s) {
    return s.isEmpty() ? null : s;
  }
}
