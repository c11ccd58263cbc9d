package org.sathi.report;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.sathi.testing.TestRedis;

@Tag("integration")
class RedisReportStoreIT extends ReportStoreContract {
  static TestRedis redis;

  @BeforeAll
  static void start() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stop() throws Exception {
    redis.close();
  }

  @BeforeEach
  void empty() {
    redis.flush();
  }

  @Override
  ReportStore store() {
    return new RedisReportStore(redis.connection);
  }
}
