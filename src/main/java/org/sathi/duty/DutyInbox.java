package org.sathi.duty;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * The durable inbox of the duty-officer queue: reports and hand-off requests, written by the
 * webhook in the same step that acknowledges them to the caller, read here by a consumer group.
 * An entry stays pending until it is done; one whose consumer died is reclaimed; one that keeps
 * failing goes to the dead-letter list.
 */
public interface DutyInbox {

  /** One entry handed to a consumer; {@code deliveries} counts this one. */
  record Delivery(String id, String event, long deliveries) {}

  /** Makes sure the consumer group exists (it then sees every entry ever written). */
  Future<Void> prepare();

  /** Entries no consumer has seen yet. */
  Future<List<Delivery>> next(String consumer, int max);

  /** Entries pending longer than {@code idle} (their consumer died or failed), now this consumer's. */
  Future<List<Delivery>> reclaim(String consumer, Duration idle, int max);

  Future<Void> done(String id);

  /** Gives up on an entry: it is kept aside with the reason, and leaves the pending list. */
  Future<Void> deadLetter(Delivery delivery, String reason);

  /**
   * Removes consumers other than {@code self} that hold nothing and have been idle longer than
   * {@code idle}: each Sathi process that ever ran leaves its name in the group otherwise.
   */
  Future<Void> forgetIdleConsumers(String self, java.time.Duration idle);

  /** Forgets dead letters written before {@code cutoff}: they hold report content, and retention applies to them too. */
  Future<Void> forgetDeadLettersBefore(java.time.Instant cutoff);
}
