package org.sathi.channel.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.sathi.testing.SmppPhone;

/**
 * Nothing lost over SMPP when the Sathi JVM is killed (kill -9) while texts arrive: every text
 * that got a {@code deliver_sm_resp} is answered, after the restart if need be; a text whose answer
 * the SMSC did not get is delivered again and changes nothing twice; no report is doubled. Sathi
 * runs as in production: the built jar, {@code serve}, its own process, bound to this test's SMSC.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SmppCrashIT {
  static final Pattern CODE = Pattern.compile("[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}");
  static final List<String> REPORT = List.of("hello", "1", "2", "1", "2", "14", "2", "4", "Jessore", "Taken to work at night", "2"); // 4: Khulna division
  static final int PHONES = 6;
  static final int REPORTS_EACH = 2;

  @TempDir
  Path dir;
  RedisServerProcess redis;
  StatefulRedisConnection<String, String> check;
  SimulatedSmsc smsc;
  Process sathi;
  int port;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServerProcess.start();
    check = redis.connect();
    smsc = new SimulatedSmsc(0, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD);
    smsc.receipts(false);
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String config = Files.readString(Path.of("config/sathi.yaml")).replace("reclaimSeconds: 30", "reclaimSeconds: 2") + String.join("\n", "",
        "channels:", "  - name: bd-operator", "    type: smpp", "    host: 127.0.0.1", "    port: " + smsc.port(), "    systemId: " + SmppPhone.SYSTEM_ID,
        "    passwordEnv: SMPP_TEST_PASSWORD", "    sourceAddress: \"" + SmppPhone.SHORT_CODE + "\"", "    throughput: 200",
        "    countries: [\"880\"]", "");
    Files.writeString(dir.resolve("sathi.yaml"), config);
    startSathi();
  }

  @AfterEach
  void stop() throws Exception {
    if (sathi != null) sathi.destroyForcibly().waitFor();
    smsc.close();
    check.close();
    redis.close();
  }

  void startSathi() throws Exception {
    sathi = SathiProcess.start(dir.resolve("sathi.yaml"), dir, port, redis.url(), Map.of("SMPP_TEST_PASSWORD", SmppPhone.PASSWORD), smsc::bound);
  }

  /** What one phone saw: texts the SMSC took (deliver_sm_resp 0), replies, and reference codes. */
  record Phone(String number, AtomicInteger taken, Set<String> codes, List<String> unanswered, List<String> transcript) {}

  /**
   * A phone walks the report {@link #REPORTS_EACH} times. A text the SMSC could not deliver (Sathi
   * down or answering with an error) is delivered again, as an SMSC does, until Sathi takes it; a
   * taken text must be answered within 20 s.
   */
  Phone walk(String number) throws Exception {
    Phone p = new Phone(number, new AtomicInteger(), ConcurrentHashMap.newKeySet(), new ArrayList<>(), java.util.Collections.synchronizedList(new ArrayList<>()));
    for (int r = 0; r < REPORTS_EACH; r++) {
      for (String text : REPORT) {
        int before = smsc.sentTo(number).size();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
          int status;
          try {
            status = smsc.deliver(number, SmppPhone.SHORT_CODE, text);
          } catch (Exception notBound) {
            status = -1;
          }
          if (status == 0) break;
          p.transcript().add("> " + text + " (status " + status + ", delivered again)");
          if (System.nanoTime() > giveUp) throw new AssertionError("the SMSC could not deliver to Sathi for 90 s");
          Thread.sleep(200); // the SMSC delivers it again later
        }
        p.taken().incrementAndGet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (smsc.sentTo(number).size() <= before && System.nanoTime() < deadline) Thread.sleep(20);
        Thread.sleep(50); // a reply the dead instance left may arrive just before this text's own
        List<SimulatedSmsc.Sent> sent = smsc.sentTo(number);
        if (sent.size() <= before) {
          p.unanswered().add(text);
          continue;
        }
        p.transcript().add("> " + text + " < " + sent.get(sent.size() - 1).text().lines().findFirst().orElse(""));
      }
    }
    // A reply the dead instance sent but had not marked sent goes again after the restart (at least
    // once): a phone may see one message twice. Every code that reached the phone counts.
    long quiet = System.nanoTime();
    int seen = smsc.sentTo(number).size();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() - quiet < TimeUnit.SECONDS.toNanos(3) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      int now = smsc.sentTo(number).size();
      if (now != seen) {
        seen = now;
        quiet = System.nanoTime();
      }
    }
    for (SimulatedSmsc.Sent sent : smsc.sentTo(number)) {
      Matcher m = CODE.matcher(sent.text());
      if (m.find()) p.codes().add(m.group());
    }
    return p;
  }

  @Test
  void killingSathiWhileTextsArriveLosesNothingAndDoublesNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(PHONES);
    List<Future<Phone>> phones = new ArrayList<>();
    for (int i = 0; i < PHONES; i++) {
      String number = "+88017200000" + String.format("%02d", i);
      phones.add(pool.submit(() -> walk(number)));
    }
    while (smsc.sent().size() < 25) Thread.sleep(10);
    sathi.destroyForcibly().waitFor(); // kill -9, while texts arrive
    int beforeCrash = smsc.sent().size();
    Thread.sleep(500);
    startSathi();
    List<Phone> done = new ArrayList<>();
    for (Future<Phone> f : phones) done.add(f.get(200, TimeUnit.SECONDS));
    pool.shutdown();

    Set<String> given = new HashSet<>();
    int taken = 0;
    for (Phone p : done) {
      assertThat(p.unanswered()).as("texts of %s taken but never answered", p.number()).isEmpty();
      assertThat(p.codes()).as("each report of %s got its code:%n%s", p.number(), String.join("\n", p.transcript())).hasSize(REPORTS_EACH);
      given.addAll(p.codes());
      taken += p.taken().get();
    }
    Set<String> filed = filedReports();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!filed.containsAll(given) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      filed = filedReports();
    }
    System.out.printf("Sathi killed after %d replies; %d texts taken by Sathi, %d reports acknowledged, %d filed%n", beforeCrash, taken,
        given.size(), filed.size());
    assertThat(filed).as("every acknowledged report is filed, and nothing else: none doubled").isEqualTo(given);
  }

  @Test
  void withRedisPausedATextIsRefusedForLaterTheCallerIsToldAndTheRedeliveryIsAnswered() throws Exception {
    String phone = "+8801720009999";
    int before = smsc.sentTo(phone).size();
    assertThat(smsc.deliver(phone, SmppPhone.SHORT_CODE, "hello")).isZero();
    awaitReplies(phone, before + 1);
    String menu = smsc.sentTo(phone).get(before).text();
    redis.pause();
    int status;
    try {
      status = smsc.deliver(phone, SmppPhone.SHORT_CODE, "1");
      awaitReplies(phone, before + 2);
    } finally {
      redis.resume();
    }
    assertThat(status).as("not stored, so not acknowledged: ESME_RX_T_APPN, and the SMSC delivers it again").isEqualTo(0x64);
    assertThat(smsc.sentTo(phone).get(before + 1).text()).as("the polite fallback with Bangladesh's emergency number").contains("999")
        .isNotEqualTo(menu);
    // The SMSC's redelivery, once Redis is back: "1" is answered as the menu's first option, once.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int again;
    do {
      again = smsc.deliver(phone, SmppPhone.SHORT_CODE, "1");
      if (again != 0) Thread.sleep(200);
    } while (again != 0 && System.nanoTime() < deadline);
    assertThat(again).isZero();
    awaitReplies(phone, before + 3);
    assertThat(smsc.sentTo(phone).get(before + 2).text()).as("the first question of a report").contains("1. ").isNotEqualTo(menu);
    Thread.sleep(500);
    assertThat(smsc.sentTo(phone)).as("one answer for the text, not two").hasSize(before + 3);
  }

  void awaitReplies(String phone, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (smsc.sentTo(phone).size() < count) {
      if (System.nanoTime() > deadline) throw new AssertionError("expected " + count + " messages to the phone within 20 s");
      Thread.sleep(20);
    }
  }

  Set<String> filedReports() {
    return org.sathi.testing.TestRedis.filedReports(check);
  }
}
