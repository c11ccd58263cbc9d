package org.sathi.channel.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.channel.Channels;
import org.sathi.duty.LogPager;
import org.sathi.i18n.SmsSegments;
import org.sathi.privacy.CallerKey;
import org.sathi.report.ReferenceCode;
import org.sathi.session.MemorySessionStore;
import org.sathi.simulator.UssdPlayer;
import org.sathi.simulator.UssdPlayer.Screen;
import org.sathi.testing.MutableClock;
import org.sathi.testing.TestHotline;

/**
 * A USSD code as a caller on a basic phone uses it, through the gateway's own form (Africa's
 * Talking's layout), against the shipped flows: a Bengali report from the first screen to the
 * reference code, every screen within its limit; a session the gateway cut off and the phone dialled
 * again; a step the gateway sent twice; a caller without the key.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UssdChannelTest {
  static final String KEY = "ussd-test-key-0123456789";
  static final String CHANNEL = "bd-ussd";
  static final String CODE = "*16430#";
  static final Pattern REFERENCE = Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}");

  static Vertx vertx;
  static MutableClock clock;
  static MemorySessionStore store;
  static TestHotline hotline;
  static UssdPlayer phone;
  static CallerKey keys = new CallerKey("test-secret-0123456789");
  static int next = 100;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    var config = TestHotline.config().withChannels(List.of(new Channels.Twilio("sms", List.of(), 1),
        new Channels.Ussd(CHANNEL, "africastalking", CODE, "USSD_BD_KEY", KEY, Channels.USSD_MAX_CHARS, Channels.USSD_UNICODE_CHARS,
            Channels.USSD_DEADLINE_MILLIS, List.of("880"), 1)));
    store = new MemorySessionStore(config.session().times(), TestHotline.codec(), clock);
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), ReferenceCode::next, clock, config);
    phone = new UssdPlayer(() -> "http://127.0.0.1:" + hotline.server.port(), CHANNEL, KEY, CODE);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A Bangladeshi number not used by another test here. */
  static String newPhone() {
    return "+88019555" + String.format("%05d", next++);
  }

  /** Every screen the caller sees, read to the end with 98 as they would; the last one. */
  static Screen answer(String number, String input, List<Screen> seen) throws Exception {
    Screen s = phone.type(number, input);
    seen.add(s);
    while (s.hasMore()) {
      s = phone.type(number, "98");
      seen.add(s);
    }
    return s;
  }

  static Screen dial(String number, List<Screen> seen) throws Exception {
    Screen s = phone.dial(number);
    seen.add(s);
    while (s.hasMore()) {
      s = phone.type(number, "98");
      seen.add(s);
    }
    return s;
  }

  static String all(List<Screen> screens) {
    return String.join("\n", screens.stream().map(Screen::text).toList());
  }

  @Test
  void aBengaliReportIsWalkedByUssdToTheReferenceCodeOnTheEndScreen() throws Exception {
    String number = newPhone();
    List<Screen> seen = new ArrayList<>();
    Screen menu = dial(number, seen);
    assertThat(all(seen)).contains("সাথী। নম্বর লিখুন:", "1. সমস্যা জানান", "0. ভাষা/Language");
    answer(number, "1", seen); // report
    answer(number, "2", seen); // a child I know
    answer(number, "1", seen); // forced work
    answer(number, "2", seen); // nobody in danger now
    answer(number, "14", seen);
    answer(number, "2", seen); // a girl
    assertThat(all(seen.subList(seen.size() - 2, seen.size()))).as("the divisions, over two screens")
        .contains("এটা কোন বিভাগে?", "4. খুলনা", "98. আরও", "8. ময়মনসিংহ", "9. অন্য বা জানি না");
    answer(number, "4", seen); // Khulna division
    answer(number, "খুলনা", seen);
    Screen contact = answer(number, "একজন লোক তার কাগজ নিয়ে গেছে", seen);
    assertThat(contact.text()).contains("1. হ্যাঁ", "2. না");
    Screen end = answer(number, "2", seen);

    assertThat(end.body()).startsWith("END ");
    Matcher code = REFERENCE.matcher(end.text());
    assertThat(code.find()).as("the END screen carries the reference code: %s", end.text()).isTrue();
    assertThat(phone.inSession(number)).isFalse();
    for (Screen s : seen) {
      SmsSegments size = SmsSegments.of(s.text());
      int limit = size.encoding() == SmsSegments.Encoding.GSM_7 ? Channels.USSD_MAX_CHARS : Channels.USSD_UNICODE_CHARS;
      assertThat(size.units()).as("screen within its limit:%n%s", s.text()).isLessThanOrEqualTo(limit);
      assertThat(s.status()).isEqualTo(200);
    }
    assertThat(seen).as("a screen too long for one page is paged with 98").anyMatch(Screen::hasMore);
    assertThat(seen.subList(0, seen.size() - 1)).allMatch(s -> s.body().startsWith("CON "));

    String report = store.events().stream().filter(e -> e.contains(code.group())).findFirst().orElseThrow();
    assertThat(report).contains("\"channel\":\"ussd:bd-ussd\"", "\"who\":\"child\"", "\"age\":\"14\"", "\"place\":\"খুলনা\"");
    assertThat(report).as("Khulna division, made Khulna district by the place's words").contains("\"area\":\"BD-27\"");
    assertThat(report).as("no consent: no number goes with the report").doesNotContain("sealedContact");
    String key = keys.of("ussd:" + number);
    assertThat(store.reach(key)).as("USSD keeps no reply window").isNull();
    assertThat(store.dump()).as("the number never in clear").doesNotContain(number.substring(1));
  }

  @Test
  void aSessionCutOffIsResumedFromANewSessionWithinTenMinutes() throws Exception {
    String number = newPhone();
    List<Screen> seen = new ArrayList<>();
    dial(number, seen);
    answer(number, "1", seen);
    answer(number, "3", seen); // several children
    Screen danger = answer(number, "1", seen); // forced work: now "is someone in danger now?"
    phone.cut(number); // the gateway gave up on the session after 180 s
    clock.advance(Duration.ofSeconds(180));

    Screen offer = phone.dial(number);
    assertThat(offer.body()).startsWith("CON ");
    assertThat(offer.lines()).contains("1. চালিয়ে যান", "2. আবার শুরু");
    Screen again = phone.type(number, "1");
    assertThat(again.text()).isEqualTo(danger.text());

    List<Screen> rest = new ArrayList<>();
    answer(number, "2", rest);
    answer(number, "9", rest);
    answer(number, "1", rest);
    answer(number, "9", rest); // the division: other or don't know
    answer(number, "Sylhet", rest);
    answer(number, "Working at a brick kiln", rest);
    Screen end = answer(number, "2", rest);
    Matcher code = REFERENCE.matcher(end.text());
    assertThat(code.find()).isTrue();
    String report = store.events().stream().filter(e -> e.contains(code.group())).findFirst().orElseThrow();
    assertThat(report).as("the answers before the cut are in the report").contains("\"who\":\"children\"", "\"what\":\"forced_labour\"",
        "\"age\":\"9\"");
    assertThat(report).as("no division chosen: the one the place names").contains("\"area\":\"BD-60\"");
  }

  @Test
  void aCutOffReportCanBeStartedAgainAndIsNotOfferedAfterTenMinutes() throws Exception {
    String number = newPhone();
    phone.dial(number);
    phone.type(number, "1");
    phone.type(number, "2");
    phone.cut(number);
    clock.advance(Duration.ofMinutes(2));
    phone.dial(number);
    Screen restart = phone.type(number, "2");
    assertThat(restart.text()).contains("সাথী। নম্বর লিখুন:");

    phone.type(number, "1");
    phone.type(number, "2");
    phone.cut(number);
    clock.advance(Duration.ofMinutes(11));
    Screen fresh = phone.dial(number);
    assertThat(fresh.text()).as("too late to continue: the main menu").contains("সাথী। নম্বর লিখুন:").doesNotContain("চালিয়ে যান");
  }

  @Test
  void aRepeatedStepGetsTheSameScreenAndChangesNothing() throws Exception {
    String number = newPhone();
    phone.dial(number);
    Screen who = phone.type(number, "1");
    String before = store.dump();
    Screen retry = phone.send(phone.sessionOf(number), number, phone.textOf(number), KEY);
    assertThat(retry.body()).isEqualTo(who.body());
    assertThat(store.dump()).isEqualTo(before);
    // The retried "1" was not taken as an answer: the next "1" answers the question it showed.
    Screen what = phone.type(number, "1");
    assertThat(what.text()).contains("কী হচ্ছে?");
  }

  @Test
  void withoutTheKeyTheGatewayGets403AndNothingChanges() throws Exception {
    String number = newPhone();
    String before = store.dump();
    Screen wrong = phone.send("ATUid_wrong", number, "", "not-the-key-0123456789");
    Screen none = phone.send("ATUid_wrong", number, "", "");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(none.status()).isEqualTo(403);
    assertThat(wrong.body()).doesNotContain(number.substring(1));
    assertThat(store.dump()).isEqualTo(before);
  }

  @Test
  void aStepThatIsNotAGatewayFormGets400AndNothingChanges() throws Exception {
    String before = store.dump();
    assertThat(phone.send("ATUid_x", "not a number", "", KEY).status()).isEqualTo(400);
    assertThat(phone.send("bad session id!", newPhone(), "", KEY).status()).isEqualTo(400);
    assertThat(new UssdPlayer(() -> "http://127.0.0.1:" + hotline.server.port(), CHANNEL, KEY, "*999#").send("ATUid_y", newPhone(), "", KEY)
        .status()).as("a code this channel does not serve").isEqualTo(400);
    assertThat(store.dump()).isEqualTo(before);
  }

  @Test
  void zeroGoesBackAndTheQuickExitEndsTheSessionWithNothingKept() throws Exception {
    String number = newPhone();
    phone.dial(number);
    phone.type(number, "1");
    Screen what = phone.type(number, "2");
    assertThat(what.text()).contains("কী হচ্ছে?");
    Screen back = phone.type(number, "0");
    assertThat(back.text()).contains("আপনি কাকে নিয়ে চিন্তিত?");
    Screen exit = phone.type(number, "exit");
    assertThat(exit.body()).startsWith("END ").doesNotContain("কী হচ্ছে?");
    assertThat(phone.inSession(number)).isFalse();
    assertThat(store.load(keys.of("ussd:" + number), "probe").result().conversation()).isNull();
  }

  @Test
  void aHandoffKeepsTheNumberForTheOfficerWhoWasAskedFor() throws Exception {
    String number = newPhone();
    phone.dial(number);
    List<Screen> seen = new ArrayList<>();
    Screen talk = answer(number, "3", seen);
    assertThat(seen.get(0).body()).as("a long last screen is paged too").startsWith("CON ");
    assertThat(talk.body()).startsWith("END ");
    assertThat(store.reach(keys.of("ussd:" + number))).as("the caller asked to talk to someone").isNotNull();
    assertThat(store.events()).anyMatch(e -> e.contains("\"type\":\"handoff\"") && e.contains("\"channel\":\"ussd:bd-ussd\""));
  }
}
