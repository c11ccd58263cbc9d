package org.sathi.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sathi.flow.Conversation;

/** Conversations as JSON, the form both stores keep. */
final class ConversationCodec {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ConversationCodec() {}

  static String encode(Conversation c) {
    try {
      return JSON.writeValueAsString(c);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a conversation", e);
    }
  }

  /** A conversation, or null when the stored form cannot be read (it then starts afresh). */
  static Conversation decode(String json) {
    if (json == null) return null;
    try {
      return JSON.readValue(json, Conversation.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
