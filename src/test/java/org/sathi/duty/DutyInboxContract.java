package org.sathi.duty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every DutyInbox promises; run in memory and on a Redis stream with a consumer group. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class DutyInboxContract {
  static final Duration IDLE = Duration.ofMillis(300);

  abstract DutyInbox inbox();

  /** As the webhook writes an entry. */
  abstract void write(String event) throws Exception;

  abstract void elapse(Duration d) throws Exception;

  abstract long deadLetters();

  /** Now, by the inbox's clock. */
  abstract java.time.Instant now();

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  @Test
  void anEntryIsHandedOutOnceAndLeavesWhenDone() throws Exception {
    DutyInbox in = inbox();
    await(in.prepare());
    write("{\"n\":1}");
    write("{\"n\":2}");
    List<DutyInbox.Delivery> first = await(in.next("a", 10));
    assertThat(first).extracting(DutyInbox.Delivery::event).containsExactly("{\"n\":1}", "{\"n\":2}");
    assertThat(await(in.next("b", 10))).as("not again, to anyone").isEmpty();
    for (DutyInbox.Delivery d : first) await(in.done(d.id()));
    elapse(IDLE.plusMillis(100));
    assertThat(await(in.reclaim("b", IDLE, 10))).as("done entries are not reclaimed").isEmpty();
  }

  @Test
  void anEntryWhoseConsumerDiedIsReclaimedByAnother() throws Exception {
    DutyInbox in = inbox();
    await(in.prepare());
    write("{\"n\":1}");
    DutyInbox.Delivery taken = await(in.next("dies", 10)).get(0);
    assertThat(await(in.reclaim("lives", IDLE, 10))).as("not idle long enough").isEmpty();
    elapse(IDLE.plusMillis(100));
    List<DutyInbox.Delivery> back = await(in.reclaim("lives", IDLE, 10));
    assertThat(back).hasSize(1);
    assertThat(back.get(0).id()).isEqualTo(taken.id());
    assertThat(back.get(0).event()).isEqualTo("{\"n\":1}");
    assertThat(back.get(0).deliveries()).isEqualTo(2);
  }

  @Test
  void aDeadLetterLeavesThePendingList() throws Exception {
    DutyInbox in = inbox();
    await(in.prepare());
    write("{\"broken\":true}");
    DutyInbox.Delivery d = await(in.next("a", 10)).get(0);
    await(in.deadLetter(d, "IllegalArgumentException"));
    elapse(IDLE.plusMillis(100));
    assertThat(await(in.reclaim("b", IDLE, 10))).isEmpty();
    assertThat(deadLetters()).isEqualTo(1);
  }

  @Test
  void deadLettersPastRetentionAreForgotten() throws Exception {
    DutyInbox in = inbox();
    await(in.prepare());
    write("{\"broken\":1}");
    await(in.deadLetter(await(in.next("a", 10)).get(0), "IllegalArgumentException"));
    await(in.forgetDeadLettersBefore(now().minusSeconds(3600)));
    assertThat(deadLetters()).as("a recent dead letter stays").isEqualTo(1);
    elapse(Duration.ofMillis(50));
    await(in.forgetDeadLettersBefore(now().plusSeconds(3600)));
    assertThat(deadLetters()).isZero();
  }

  @Test
  void entriesWrittenBeforeTheGroupExistedAreNotLost() throws Exception {
    write("{\"n\":\"early\"}");
    DutyInbox in = inbox();
    await(in.prepare());
    await(in.prepare()); // twice is harmless
    assertThat(await(in.next("a", 10))).extracting(DutyInbox.Delivery::event).containsExactly("{\"n\":\"early\"}");
  }
}
