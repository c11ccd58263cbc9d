package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sathi.duty.LogPager;
import org.sathi.i18n.Language;
import org.sathi.i18n.SmsSegments;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestCall;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * One SMS and one call conversation per shipped language, through a report and through guidance,
 * compared with src/test/resources/golden/languages/ (regenerate with -Dsathi.regenerate=true).
 * Each caller texts or calls from a number of the language's country, so the language is the one
 * a real caller would get. Every SMS reply must fit the budget; every call answer must be TwiML
 * Twilio accepts, in a voice Twilio has.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LanguageTranscriptTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/languages");
  static final boolean REGENERATE = Boolean.getBoolean("sathi.regenerate");
  static final List<String> SMS_REPORT = List.of("hi", "1", "2", "1", "2", "14", "2", "Khulna", "A man took her papers.", "2");
  static final List<String> SMS_GUIDANCE = List.of("hi", "2", "1", "1", "1", "1", "1", "4", "1", "1", "1");
  static final List<String> CALL_REPORT = List.of("dial", "1", "2", "1", "2", "14", "2", "record", "record", "2");
  static final List<String> CALL_GUIDANCE = List.of("dial", "2", "1", "1", "4", "1", "completed");

  static Vertx vertx;
  static TestHotline hotline;

  /**
   * A report, with the area question answered where the caller's country has areas
   * (config/places.yaml): the first division or province (after the gender, before the place).
   */
  static List<String> report(List<String> script, Language l, int n) {
    if (hotline.bundle.areas().choices(hotline.bundle.callingCode(numberFor(l, n)), l.code()).isEmpty()) return script;
    List<String> out = new ArrayList<>(script);
    out.add(7, "1");
    return out;
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Clock midday = Clock.offset(Clock.systemUTC(), java.time.Duration.between(Instant.now(), Instant.parse("2026-12-01T06:00:00Z")));
    var store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), midday);
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), () -> "ABCD-EFGH", midday,
        TestHotline.config());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A number of the language's country, or a UK one for a language without a calling code (English). */
  static String numberFor(Language l, int n) {
    String cc = l.countryCodes().isEmpty() ? "44" : l.countryCodes().get(0);
    return "+" + cc + String.format("%09d", 100_000_000 + n * 1000 + Math.abs(l.code().hashCode() % 1000));
  }

  static Stream<Arguments> languages() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (Language l : TestHotline.shippedFlows(TestHotline.config()).languages().enabled()) out.add(Arguments.of(l.code(), l));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("languages")
  void smsAndCallConversationsMatchTheirTranscripts(String code, Language language) throws Exception {
    int budget = hotline.config.sms().maxSegmentsPerReply();
    compare(code + "-sms", sms(language, budget));
    if (language.spoken()) compare(code + "-call", call(language));
  }

  /** The quick-exit word of every language wipes the conversation and answers with one neutral line. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("languages")
  void theQuickExitWordOfEveryLanguageWipesTheConversation(String code, Language language) throws Exception {
    var catalog = hotline.bundle.catalog(code);
    for (String word : catalog.words("exit")) {
      TestPhone phone = hotline.phone(numberFor(language, 20 + Math.abs(word.hashCode() % 500)));
      phone.text("hi");
      phone.text("1");
      assertThat(phone.text(word)).as("%s: '%s'", code, word).isEqualTo(catalog.text("common.exit"));
      // Nothing kept: the next message starts at the main menu, with no "welcome back".
      assertThat(phone.text("hi")).as("%s after '%s'", code, word).startsWith(catalog.text("main.prompt"));
    }
  }

  String sms(Language language, int budget) throws Exception {
    StringBuilder t = new StringBuilder("# " + language.code() + " (" + language.name() + "): SMS through a report, then through guidance,"
        + " from a number of its country. Regenerate with -Dsathi.regenerate=true.\n");
    int n = 0;
    for (List<String> script : List.of(SMS_REPORT, SMS_GUIDANCE)) {
      int at = n++;
      TestPhone phone = hotline.phone(numberFor(language, at));
      t.append("\n## ").append(script == SMS_REPORT ? "report" : "guidance").append('\n');
      for (String message : script == SMS_REPORT ? report(script, language, at) : script) {
        String reply = phone.text(message);
        SmsSegments s = SmsSegments.of(reply);
        assertThat(s.segments()).as("%s: reply to '%s' fits %d segments:%n%s", language.code(), message, budget, reply).isLessThanOrEqualTo(budget);
        t.append("\n> ").append(message).append("\n< [").append(s.segments()).append(" segment").append(s.segments() == 1 ? "" : "s")
            .append(", ").append(s.encoding()).append("]\n").append(reply).append('\n');
      }
    }
    return t.toString();
  }

  String call(Language language) throws Exception {
    StringBuilder t = new StringBuilder("# " + language.code() + " (" + language.name() + "): a call through a report, then through guidance,"
        + " from a number of its country; what the caller hears. Regenerate with -Dsathi.regenerate=true.\n");
    int n = 10;
    for (List<String> script : List.of(CALL_REPORT, CALL_GUIDANCE)) {
      int at = n++;
      TestCall call = hotline.call(numberFor(language, at));
      t.append("\n## ").append(script == CALL_REPORT ? "report" : "guidance").append('\n');
      for (String step : script == CALL_REPORT ? report(script, language, at) : script) {
        TestCall.Twiml answer = switch (step) {
          case "dial" -> call.dial();
          case "record" -> call.record("https://api.twilio.com/2010-04-01/Accounts/ACtest/Recordings/RE0001", 9);
          case "completed" -> call.completed();
          default -> call.press(step);
        };
        assertThat(answer.status()).isEqualTo(200);
        org.sathi.voice.TwimlRules.check(answer.body());
        t.append("\n> ").append(step).append('\n');
        for (String heard : answer.heard()) t.append("< ").append(heard).append('\n');
        String verb = answer.first("Gather") != null ? "keys" : answer.first("Record") != null ? "recording" : answer.first("Dial") != null
            ? "dial" : answer.first("Hangup") != null ? "hang up" : "nothing";
        t.append("  (then: ").append(verb).append(")\n");
      }
    }
    return t.toString();
  }

  static void compare(String name, String transcript) throws Exception {
    Path file = GOLDEN.resolve(name + ".txt");
    if (REGENERATE || !Files.exists(file)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, transcript, StandardCharsets.UTF_8);
      assertThat(REGENERATE).as("no golden transcript existed; wrote " + file + ": read it, commit it").isTrue();
    }
    assertThat(transcript).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
