package org.sathi.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sathi.i18n.SmsSegments;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * Whole SMS conversations through the real router, compared with the transcripts in
 * src/test/resources/golden/. After a deliberate change to flows or catalogs, regenerate them with
 * {@code ./sathi test -Dsathi.regenerate=true} and read the diff before committing it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoldenTranscriptTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final boolean REGENERATE = Boolean.getBoolean("sathi.regenerate");

  static final String UK = "+447700900123";
  static final String BD = "+8801700000001";

  static Stream<Arguments> conversations() {
    return Stream.of(
        Arguments.of("en-report", UK, List.of("hello", "1", "2", "5", "1", "14", "2", "Khulna bus stand",
            "A man says he will take her to a job in the city. She is scared.", "2", "hi")),
        Arguments.of("bn-report", BD, List.of("হ্যালো", "১", "৯", "২", "১", "৩", "বারো", "১২", "২", "৪", "খুলনা বাস স্ট্যান্ড",
            "একজন লোক তাকে শহরে কাজ দেবে বলে নিয়ে যাচ্ছে।", "১")),
        Arguments.of("en-guidance", UK, List.of("hi", "2", "1", "1", "1", "3", "back", "help", "menu")),
        Arguments.of("bn-guidance", BD, List.of("hi", "২", "৩", "1", "1", "মেনু")),
        Arguments.of("en-quick-exit", UK, List.of("hello", "1", "1", "4", "exit", "exit", "hello")),
        Arguments.of("bn-quick-exit", BD, List.of("মুছুন", "হ্যালো", "১", "২", "x", "হ্যালো")),
        Arguments.of("en-talk-and-numbers", UK, List.of("hello", "4", "1", "3", "hi")),
        Arguments.of("en-change-language", UK, List.of("hello", "0", "2", "1", "abc", "xyz", "pqr")));
  }

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conversations")
  void conversationMatchesItsTranscript(String name, String from, List<String> messages) throws Exception {
    var store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), Clock.systemUTC());
    TestHotline hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new org.sathi.duty.LogPager()), TestHotline.newMetrics(), TestHotline.countingReferences());
    TestPhone phone = hotline.phone(from);
    StringBuilder transcript = new StringBuilder()
        .append("# ").append(name).append(": an SMS conversation from a ").append(from.startsWith("+880") ? "Bangladeshi" : "UK")
        .append(" number. Regenerate with -Dsathi.regenerate=true.\n");
    int maxSegments = hotline.config.sms().maxSegmentsPerReply();
    for (String message : messages) {
      String reply = phone.text(message);
      SmsSegments s = SmsSegments.of(reply);
      assertThat(s.segments()).as("reply to '%s' fits the budget", message).isLessThanOrEqualTo(maxSegments);
      transcript.append("\n> ").append(message).append('\n')
          .append("< [").append(s.segments()).append(" segment").append(s.segments() == 1 ? "" : "s").append(", ")
          .append(s.encoding()).append("]\n")
          .append(reply).append('\n');
    }
    Path file = GOLDEN.resolve(name + ".txt");
    if (REGENERATE || !Files.exists(file)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, transcript.toString(), StandardCharsets.UTF_8);
      assertThat(REGENERATE).as("no golden transcript existed; wrote " + file + ": read it, commit it").isTrue();
    }
    assertThat(transcript.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
