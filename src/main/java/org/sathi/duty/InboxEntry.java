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
