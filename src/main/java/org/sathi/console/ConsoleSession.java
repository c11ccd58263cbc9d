package org.sathi.console;

import java.time.Instant;

/**
 * A logged-in officer's session on the server: the id is the {@code sathi_session} cookie, the CSRF
 * token the {@code XSRF-TOKEN} cookie that state changes must echo in {@code X-XSRF-TOKEN}.
 */
public record ConsoleSession(String id, String officer, String csrfToken, Instant createdAt, Instant lastSeen) {
  @Override
  public String toString() {
    return "ConsoleSession[officer=" + officer + ", createdAt=" + createdAt + ", lastSeen=" + lastSeen + "]"; // never the secrets
  }
}
