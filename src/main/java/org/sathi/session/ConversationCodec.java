package org.sathi.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sathi.flow.Conversation;
import org.sathi.privacy.Sealer;

/** Conversations as sealed JSON, the form both stores keep: answers in progress are never readable at rest. */
public final class ConversationCodec {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Sealer sealer;

  public ConversationCodec(Sealer sealer) {
    this.sealer = sealer;
  }

  String encode(Conversation c, String callerKey) {
    try {
      return sealer.seal(JSON.writeValueAsString(c), callerKey);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a conversation", e);
    }
  }

  /** A conversation, or null when the stored form cannot be opened or read (it then starts afresh). */
  Conversation decode(String sealed, String callerKey) {
    if (sealed == null || sealed.isEmpty()) return null;
    String json = sealer.open(sealed, callerKey);
    if (json == null) return null;
    try {
      return JSON.readValue(json, Conversation.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
