package org.sathi.duty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.sathi.testing.MutableClock;

class MemoryDutyInboxTest extends DutyInboxContract {
  List<String> written;
  MutableClock clock;
  MemoryDutyInbox inbox;

  @BeforeEach
  void fresh() {
    written = new CopyOnWriteArrayList<>();
    clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    inbox = new MemoryDutyInbox(() -> List.copyOf(written), clock);
  }

  @Override
  DutyInbox inbox() {
    return inbox;
  }

  @Override
  void write(String event) {
    written.add(event);
  }

  @Override
  void elapse(Duration d) {
    clock.advance(d);
  }

  @Override
  Instant now() {
    return clock.instant();
  }

  @Override
  long deadLetters() {
    return inbox.deadLetters().size();
  }
}
