package org.sathi.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

class MemorySessionStoreTest extends SessionStoreContract {
  private MemorySessionStore store;
  private Instant now;

  @BeforeEach
  void fresh() {
    now = Instant.parse("2026-11-23T10:00:00Z");
    Clock clock = new Clock() {
      @Override public ZoneId getZone() { return ZoneId.of("UTC"); }
      @Override public Clock withZone(ZoneId zone) { return this; }
      @Override public Instant instant() { return now; }
    };
    store = new MemorySessionStore(SHORT, CODEC, clock);
  }

  @Override
  SessionStore store() {
    return store;
  }

  @Override
  void elapse(Duration d) {
    now = now.plus(d);
  }

  @Override
  List<String> storedEvents() {
    return store.events();
  }

  @Override
  Instant now() {
    return now;
  }

  @Override
  String everythingKept() {
    return store.dump();
  }
}
