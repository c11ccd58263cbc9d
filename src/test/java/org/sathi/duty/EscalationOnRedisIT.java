package org.sathi.duty;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.sathi.report.RedisReportStore;
import org.sathi.report.ReportStore;
import org.sathi.testing.TestRedis;

/** Every escalation case again, with the schedule and the transitions in Redis (its Lua scripts past level 0). */
@Tag("integration")
class EscalationOnRedisIT extends EscalationTest {
  static TestRedis redis;

  @BeforeAll
  static void start() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  @Override
  ReportStore newStore() {
    redis.flush();
    return new RedisReportStore(redis.connection);
  }
}
