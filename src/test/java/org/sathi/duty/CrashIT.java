package org.sathi.duty;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.SathiProcess;
import org.sathi.testing.TestPhone;

/**
 * No report whose reference code a reporter received is lost: not when the Sathi JVM is killed
 * (kill -9) in the middle of submissions, not when redis-server is killed and restarted (AOF on).
 * Sathi runs here as it does in production: the built jar, `serve`, its own process.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashIT {
  static final Pattern CODE = Pattern.compile("[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}");
  static final List<String> REPORT = List.of("hello", "1", "2", "1", "2", "14", "2", "4", "Jessore", "Taken to work at night", "2"); // 4: Khulna division

  @TempDir
  Path dir;
  RedisServerProcess redis;
  StatefulRedisConnection<String, String> check;
  Process sathi;
  int port;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServerProcess.start();
    check = redis.connect();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // The shipped config, with a short takeover time so the test need not wait 30 s.
    String config = Files.readString(Path.of("config/sathi.yaml")).replace("reclaimSeconds: 30", "reclaimSeconds: 2");
    Files.writeString(dir.resolve("sathi.yaml"), config);
    startSathi();
  }

  @AfterEach
  void stop() throws Exception {
    if (sathi != null) sathi.destroyForcibly().waitFor();
    check.close();
    redis.close();
  }

  void startSathi() throws Exception {
    sathi = SathiProcess.start(dir.resolve("sathi.yaml"), dir, port, redis.url(), Map.of(), () -> true);
  }

  /** Reporters submitting reports over and over until stopped; every code they were given is recorded. */
  Set<String> submitUntil(AtomicBoolean stop, ExecutorService pool, int reporters) {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < reporters; i++) {
      String number = "+88017100000" + String.format("%02d", i);
      pool.submit(() -> {
        TestPhone phone = new TestPhone(port, number);
        while (!stop.get()) {
          try {
            for (String m : REPORT) {
              TestPhone.Reply r = phone.send(m, TestPhone.newMessageSid());
              Matcher code = CODE.matcher(r.status() == 200 ? r.text() : "");
              if (code.find()) acknowledged.add(code.group());
            }
          } catch (Exception down) {
            sleep(50);
          }
        }
        return null;
      });
    }
    return acknowledged;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until every acknowledged reference is a filed report. */
  void assertAllFiled(Set<String> acknowledged) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> missing = new ArrayList<>(acknowledged);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      missing.removeIf(ref -> check.sync().exists("sathi:report:{" + ref + "}") == 1);
      Thread.sleep(200);
    }
    for (String ref : missing) {
      System.out.printf("missing %s: reserved=%d, in inbox=%s, dead letters=%d%n", ref, check.sync().exists("sathi:ref:" + ref),
          check.sync().xrange("sathi:events", io.lettuce.core.Range.create("-", "+")).stream().anyMatch(m -> m.getBody().get("event").contains(ref)),
          check.sync().xlen("sathi:events:dead"));
    }
    assertThat(missing).as("acknowledged reports missing after the crash").isEmpty();
  }

  @Test
  void killingTheSathiJvmLosesNoAcknowledgedReport() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean stop = new AtomicBoolean();
    Set<String> acknowledged = submitUntil(stop, pool, 8);
    while (acknowledged.size() < 10) Thread.sleep(20);
    sathi.destroyForcibly().waitFor(); // kill -9, mid-submission
    Set<String> beforeCrash = Set.copyOf(acknowledged);
    startSathi();
    Thread.sleep(1500);
    stop.set(true);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    System.out.printf("Sathi killed with %d reports acknowledged; %d acknowledged in all%n", beforeCrash.size(), acknowledged.size());
    assertAllFiled(acknowledged);
  }

  @Test
  void killingRedisAndRestartingItLosesNoAcknowledgedReport() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean stop = new AtomicBoolean();
    Set<String> acknowledged = submitUntil(stop, pool, 8);
    while (acknowledged.size() < 10) Thread.sleep(20);
    check.close();
    redis.kill(); // kill -9, mid-submission
    Thread.sleep(500);
    redis.startProcess(); // replays the AOF
    check = redis.connect();
    Thread.sleep(3000); // Sathi reconnects; reporters carry on
    stop.set(true);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    System.out.printf("Redis killed and restarted; %d reports acknowledged in all%n", acknowledged.size());
    assertAllFiled(acknowledged);
  }
}
