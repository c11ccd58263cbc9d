package org.sathi.session;

import java.time.Duration;

/** How long a store keeps what, from config/sathi.yaml `session:`. */
public record SessionTimes(Duration conversation, Duration returning, Duration dedup) {
  public static SessionTimes defaults() {
    return new SessionTimes(Duration.ofHours(24), Duration.ofDays(30), Duration.ofHours(24));
  }
}
