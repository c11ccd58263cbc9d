package org.sathi.session;

import java.time.Duration;

/**
 * How long a store keeps what, from config/sathi.yaml {@code session:}.
 *
 * @param conversation an idle conversation
 * @param returning    the language of a caller, for "welcome back"
 * @param dedup        replies by webhook id, for retries
 * @param replyWindow  a sealed number of a caller who asked for a person or agreed to be contacted
 */
public record SessionTimes(Duration conversation, Duration returning, Duration dedup, Duration replyWindow) {
  public static SessionTimes defaults() {
    return new SessionTimes(Duration.ofHours(24), Duration.ofDays(30), Duration.ofHours(24), Duration.ofHours(24));
  }
}
