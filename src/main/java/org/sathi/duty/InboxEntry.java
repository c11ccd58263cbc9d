package org.sathi.duty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sathi.flow.Event;

/**
 * The JSON a webhook writes to the duty inbox for each report or hand-off request of a turn, in the
 * same atomic commit that stores the caller's reply. {@link DutyDesk#file} reads it back.
 */
public final class InboxEntry {
  private InboxEntry() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a report must be at least P1 whatever triage says: a voicemail left after nobody answered a hand-off. */
  public static final String URGENT_VOICEMAIL = "voicemail";

  /**
   * @param webhookId     unique across the hotline for this turn (a hand-off's reference is derived from it)
   * @param sealedContact the caller's number, sealed, kept with a report whose reporter agreed to be contacted; or null
   */
  public static List<String> of(List<Event> events, String channel, String callerKey, String webhookId, Instant createdAt,
      String sealedContact) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      Map<String, Object> doc = new LinkedHashMap<>();
      switch (e) {
        case Event.ReportSubmitted r -> {
          doc.put("type", "report");
          doc.put("reference", r.reference());
          doc.put("language", r.language());
          doc.put("node", r.node());
          doc.put("answers", r.answers());
          // Consent to be contacted: the number goes with the report, sealed, for the retention period.
          if ("yes".equals(r.answers().get("contact")) && sealedContact != null) doc.put("sealedContact", sealedContact);
        }
        case Event.HandoffRequested h -> {
          doc.put("type", "handoff");
          doc.put("language", h.language());
          doc.put("node", h.node());
        }
        case Event.ConversationWiped w -> {
          continue;
        }
      }
      out.add(encode(doc, channel, callerKey, webhookId, createdAt));
    }
    return out;
  }

  /** The flag of a hand-off whose call rang out: nobody took it, and the caller may be waiting for a call back. */
  public static final String MISSED_HANDOFF = "missed_handoff";

  /** The reference of the hand-off a turn files: derived from the turn's id, so a redelivered entry keeps it. */
  public static String handoffReference(String webhookId) {
    return org.sathi.report.ReferenceCode.derivedFrom(webhookId);
  }

  /**
   * What a call adds to its hand-off's report once nobody took it: that it was missed, the caller's
   * answer to being called back ({@code contact}), a voicemail. Filed into the hand-off's own report,
   * {@code reference}: one call makes one report, whichever of its entries is filed first.
   *
   * @param sealedContact the caller's number, sealed, only when they agreed to be called back; or null
   * @param note          what the timeline says of it
   */
  public static String missedHandoff(String reference, String language, Map<String, String> answers, String sealedContact, String note,
      String callerKey, String webhookId, Instant createdAt) {
    return missedHandoff(reference, language, answers, sealedContact, note, callerKey, webhookId, createdAt, null);
  }

  /** The same, at least P1 for {@code urgent} ({@link #URGENT_VOICEMAIL}). */
  public static String missedHandoff(String reference, String language, Map<String, String> answers, String sealedContact, String note,
      String callerKey, String webhookId, Instant createdAt, String urgent) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "handoff");
    doc.put("reference", reference);
    doc.put("language", language);
    doc.put("node", "missed");
    doc.put("missed", true);
    doc.put("answers", answers);
    if ("yes".equals(answers.get("contact")) && sealedContact != null) doc.put("sealedContact", sealedContact);
    doc.put("note", note);
    if (urgent != null) doc.put("urgent", urgent);
    return encode(doc, "voice", callerKey, webhookId, createdAt);
  }

  /** A voicemail left after a hand-off nobody answered: a report that is P1 whatever else triage finds. */
  public static String voicemail(String reference, String language, Map<String, String> answers, String callerKey, String webhookId,
      Instant createdAt) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("type", "report");
    doc.put("reference", reference);
    doc.put("language", language);
    doc.put("node", "voicemail");
    doc.put("answers", answers);
    doc.put("urgent", URGENT_VOICEMAIL);
    return encode(doc, "voice", callerKey, webhookId, createdAt);
  }

  private static String encode(Map<String, Object> doc, String channel, String callerKey, String webhookId, Instant createdAt) {
    doc.put("channel", channel);
    doc.put("callerKey", callerKey);
    doc.put("webhookId", webhookId);
    doc.put("createdAt", createdAt.toString());
    try {
      return JSON.writeValueAsString(doc);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot encode an inbox entry", ex);
    }
  }
}
