package org.sathi.flow;

import java.util.Map;

/** What the host must carry out after a turn. The engine never does I/O itself. */
public sealed interface Event {
  /** A finished report. The host stores it durably before the caller sees {@code reference}. */
  record ReportSubmitted(String reference, String language, String node, Map<String, String> answers) implements Event {}

  record HandoffRequested(String language, String node) implements Event {}

  /** The caller used the quick-exit word: forget the conversation. */
  record ConversationWiped() implements Event {}
}
