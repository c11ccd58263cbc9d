package org.sathi.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sathi.channel.Channels;
import org.sathi.duty.LogPager;
import org.sathi.i18n.Language;
import org.sathi.report.ReferenceCode;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * The scripted conversations of src/test/resources/simulator/: every flow (report and follow-up,
 * guidance, a person, useful numbers, another language, the quick exit) in every shipped language,
 * by SMS and, where the language is spoken, by call, and the USSD and WhatsApp scripts, played by {@link TwilioPlayer} as
 * {@code ./sathi simulate --script} plays them. {@code -Dsathi.regenerate=true} writes them anew
 * from what the hotline answers; read the diff before committing it.
 */
class SimulatorScriptsTest {
  static final Path SCRIPTS = Path.of("src/test/resources/simulator");
  static final boolean REGENERATE = Boolean.getBoolean("sathi.regenerate");

  static Vertx vertx;
  static TestHotline hotline;
  static TwilioPlayer player;
  /** A USSD gateway's phone on the hotline's USSD channel, which is set up as the demo's (so ./sathi simulate needs no flags). */
  static UssdPlayer ussd;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    var config = TestHotline.config().withChannels(List.of(new Channels.Twilio("sms", List.of(), 1),
        new Channels.Ussd(UssdPlayer.DEMO_CHANNEL, "africastalking", UssdPlayer.DEMO_CODE, "SATHI_DEMO_USSD_KEY", UssdPlayer.DEMO_KEY,
            Channels.USSD_MAX_CHARS, Channels.USSD_UNICODE_CHARS, Channels.USSD_DEADLINE_MILLIS, List.of("880"), 1),
        // WhatsApp as the demo has it: Bangladesh is the country of a user id that shows no number.
        new Channels.WhatsApp(Channels.WhatsApp.DEFAULT_NAME, "whatsapp:" + TestHotline.HOTLINE, List.of("880"), null, 24, 1)));
    var store = new MemorySessionStore(config.session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), ReferenceCode::next,
        java.time.Clock.systemUTC(), config);
    String base = "http://127.0.0.1:" + hotline.server.port();
    player = new TwilioPlayer(base, TestPhone.PUBLIC_URL, TestPhone.AUTH_TOKEN, "ACtest", TestHotline.HOTLINE);
    ussd = new UssdPlayer(() -> base, UssdPlayer.DEMO_CHANNEL, UssdPlayer.DEMO_KEY, UssdPlayer.DEMO_CODE);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String numberFor(Language l, int n) {
    String cc = l.countryCodes().isEmpty() ? "44" : l.countryCodes().get(0);
    return "+" + cc + String.format("%09d", 700_000_000 + n * 1000 + Math.abs(l.code().hashCode() % 1000));
  }

  /**
   * Where a caller of the language's country says the report is, when their country has areas
   * (config/places.yaml): a division or province by its digit (Khulna division; Bagmati province).
   * Callers of other countries are not asked.
   */
  static List<String> area(Language l) {
    String cc = l.countryCodes().isEmpty() ? "44" : l.countryCodes().get(0);
    var choices = hotline.bundle.areas().choices(cc, l.code());
    if (choices.isEmpty()) return List.of();
    for (int i = 0; i < choices.size(); i++) if (List.of("BD-D", "NP-P3").contains(choices.get(i).code())) return List.of(String.valueOf(i + 1));
    return List.of("1");
  }

  static List<String> with(List<String> before, List<String> area, List<String> after) {
    List<String> out = new ArrayList<>(before);
    out.addAll(area);
    out.addAll(after);
    return List.copyOf(out);
  }

  /** What each conversation of a language sends; the script records what comes back. */
  static List<List<String>> smsConversations(Language l) {
    String exit = hotline.bundle.catalog(l.code()).words("exit").get(0);
    return List.of(
        with(List.of("report", "hi", "1", "2", "1", "2", "14", "2"), area(l),
            List.of("Khulna", "A man took her papers.", "2", "{code}", "He was moved to a house near the river.")),
        List.of("guidance", "hi", "2", "1", "1", "1", "1", "1", "4", "1", "1", "1"),
        List.of("talk to someone", "hi", "3"),
        List.of("useful numbers", "hi", "4"),
        List.of("another language", "hi", "0", "1"),
        List.of("quick exit", "hi", "1", exit, "hi"));
  }

  static List<List<String>> callConversations(Language l) {
    return List.of(
        with(List.of("report", "1", "2", "1", "2", "14", "2"), area(l), List.of("record", "record", "2", "hangup")),
        List.of("guidance", "2", "1", "1", "4", "1", "hangup"),
        List.of("talk to someone", "3", "dial:no-answer", "1", "record", "hangup"),
        List.of("useful numbers", "4", "hangup"));
  }

  static Stream<Arguments> scripts() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (Language l : TestHotline.shippedFlows(TestHotline.config()).languages().enabled()) {
      out.add(Arguments.of(l.code() + "-sms", l, true));
      if (l.spoken()) out.add(Arguments.of(l.code() + "-call", l, false));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void everyFlowInEveryLanguagePlaysAsScripted(String name, Language language, boolean sms) throws Exception {
    Path file = SCRIPTS.resolve(name + ".txt");
    if (REGENERATE || !Files.exists(file)) {
      Files.createDirectories(SCRIPTS);
      Files.writeString(file, write(language, sms));
      if (!REGENERATE) throw new AssertionError(file + " was missing and has been written; read it, then run again");
    }
    plays(file);
  }

  /** Plays a script file as ./sathi simulate does, and fails with its transcript unless it goes as written. */
  static void plays(Path file) throws Exception {
    ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    boolean ok = SimulatorScript.parse(file.toString(), Files.readString(file))
        .run(player, player::text, ussd, new PrintStream(transcript, true, StandardCharsets.UTF_8));
    assertThat(ok).as("%s played as scripted:%n%s", file, transcript.toString(StandardCharsets.UTF_8)).isTrue();
  }

  /** A script from what the hotline answers now. */
  String write(Language l, boolean sms) throws Exception {
    StringBuilder s = new StringBuilder("# " + l.code() + " (" + l.name() + "): every flow " + (sms ? "by SMS" : "by call")
        + ", from a number of its country. Play it with ./sathi simulate --script FILE against ./sathi demo.\n"
        + "# Regenerate with ./sathi test -Dsathi.regenerate=true -Dtest=SimulatorScriptsTest\n");
    int n = 0;
    for (List<String> conversation : sms ? smsConversations(l) : callConversations(l)) {
      String written = numberFor(l, n++);
      String from = SimulatorScript.fresh(written); // as a played script does
      s.append("\n# ").append(conversation.get(0)).append('\n').append(sms ? "sms " : "call ").append(written).append('\n');
      String code = null;
      TwilioPlayer.Call call = null;
      if (!sms) {
        call = player.call(from);
        for (String line : SimulatorScript.said(call.dial())) s.append("< ").append(SimulatorScript.generalise(line)).append('\n');
      }
      for (String send : conversation.subList(1, conversation.size())) {
        s.append("> ").append(send).append('\n');
        List<String> reply;
        if (sms) {
          reply = SimulatorScript.lines(player.text(from, code == null ? send : send.replace("{code}", code)));
        } else {
          TwilioPlayer.Turn t = switch (send) {
            case "record" -> call.record(SimulatorScript.SAMPLE_RECORDING, 9);
            case "hangup" -> call.hangUp();
            default -> send.startsWith("dial:") ? call.dialEnded(send.substring(5)) : call.press(send);
          };
          reply = SimulatorScript.said(t);
        }
        for (String line : reply) {
          var m = SimulatorScript.CODE.matcher(line);
          if (m.find()) code = m.group();
          s.append("< ").append(SimulatorScript.generalise(line)).append('\n');
        }
      }
    }
    return s.toString();
  }

  /** The USSD scripts: bn-ussd.txt (written from what the hotline answers when missing or regenerated), and any other *-ussd.txt. */
  static Stream<String> ussdScripts() throws Exception {
    java.util.Set<String> names = new java.util.TreeSet<>(List.of("bn-ussd"));
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith("-ussd.txt")).forEach(f -> names.add(f.substring(0, f.length() - 4)));
    }
    return names.stream();
  }

  /**
   * What the Bengali USSD caller types: a report to the END screen and its code; then a report cut
   * off by the gateway and continued from a new session. A paged screen is read on with 98.
   */
  static final List<List<String>> BN_USSD = List.of(
      List.of("report, from the first screen to the END screen's code", "+8801711000001", "dial", "1", "2", "1", "2", "14", "2", "4", "খুলনা",
          "একজন লোক তার কাগজ নিয়ে গেছে", "2"),
      List.of("cut off, dialled again at once: continue where it stopped", "+8801711000002", "dial", "1", "3", "1", "cut", "dial", "1"));

  @ParameterizedTest(name = "{0}")
  @MethodSource("ussdScripts")
  void everyUssdScriptPlaysAsScripted(String name) throws Exception {
    Path file = SCRIPTS.resolve(name + ".txt");
    if (name.equals("bn-ussd") && (REGENERATE || !Files.exists(file))) {
      Files.writeString(file, writeUssd());
      if (!REGENERATE) throw new AssertionError(file + " was missing and has been written; read it, then run again");
    }
    plays(file);
  }

  /** The WhatsApp scripts: every *-whatsapp.txt (bn-whatsapp.txt: a report from a number and its follow-up, then a user id). */
  static Stream<String> whatsAppScripts() throws Exception {
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith("-whatsapp.txt")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("whatsAppScripts")
  void everyWhatsAppScriptPlaysAsScripted(String name) throws Exception {
    plays(SCRIPTS.resolve(name));
  }

  @Test
  void thereIsABengaliWhatsAppScriptAndSimulatePlaysItWithNoFlags() throws Exception {
    assertThat(whatsAppScripts()).contains("bn-whatsapp.txt");
    String url = "http://127.0.0.1:" + hotline.server.port();
    assertThat(simulate(List.of("--script", SCRIPTS.resolve("bn-whatsapp.txt").toString(), "--url", url), SIGNING, 0))
        .contains("whatsapp +88017110", "whatsapp BD.13491208655", "< জরুরি: 999", "OK:");
  }

  @Test
  void aBadWhatsAppSenderIsRefusedAsTheServerWouldRefuseIt() {
    for (String bad : List.of("bd.1234", "BD.", "BD.12 34", "BD.12-34", "BD." + "1".repeat(129), "8801711000011", "+12")) {
      assertThat(refused("whatsapp " + bad + "\n> hi\n")).as(bad)
          .hasMessageStartingWith("bad.txt:1: '" + bad.strip() + "' is not a WhatsApp sender: a number in E.164");
    }
    assertThat(refused("# a user id\nwhatsapp US.ENT.11815799212886844830\n> hi\n< Sathi\n")).as("a parent user id is one").isNull();
  }

  /** bn-ussd.txt from what the hotline's USSD channel answers now: every screen, 98 typed where one pages. */
  String writeUssd() throws Exception {
    StringBuilder s = new StringBuilder("# bn (বাংলা) by USSD, as a basic phone dials the code: every screen as the gateway gets it\n"
        + "# (CON: the session waits for more; END: it is over), 98 typed where a screen pages.\n"
        + "# Play it with ./sathi simulate --script FILE against ./sathi demo (USSD code " + UssdPlayer.DEMO_CODE + ").\n"
        + "# Regenerate with ./sathi test -Dsathi.regenerate=true -Dtest=SimulatorScriptsTest\n");
    for (List<String> conversation : BN_USSD) {
      String from = SimulatorScript.fresh(conversation.get(1));
      s.append("\n# ").append(conversation.get(0)).append("\nussd ").append(conversation.get(1)).append('\n');
      for (String send : conversation.subList(2, conversation.size())) {
        s.append("> ").append(send).append('\n');
        if (send.equals("cut")) {
          ussd.cut(from);
          continue;
        }
        UssdPlayer.Screen screen = send.equals("dial") ? ussd.dial(from) : ussd.type(from, send);
        screen(s, screen);
        while (screen.hasMore()) {
          s.append("> 98\n");
          screen = ussd.type(from, "98");
          screen(s, screen);
        }
      }
    }
    return s.toString();
  }

  private static void screen(StringBuilder s, UssdPlayer.Screen screen) {
    assertThat(screen.status()).isEqualTo(200);
    for (String line : screen.body().split("\n", -1)) s.append("< ").append(SimulatorScript.generalise(line)).append('\n');
  }

  @Test
  void aUssdScriptThatDoesNotMatchSaysWhereAndFails() throws Exception {
    SimulatorScript script = SimulatorScript.parse("wrong-ussd.txt", "ussd +8801711000003\n> dial\n< CON সাথী। নম্বর লিখুন:\n> 1\n"
        + "< CON Who are you worried about?\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(script.run(player, player::text, ussd, new PrintStream(out, true, StandardCharsets.UTF_8))).isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("> dial", "< CON সাথী। নম্বর লিখুন:", "< CON আপনি কাকে নিয়ে চিন্তিত?")
        .contains("! wrong-ussd.txt:5: expected 'CON Who are you worried about?'");
  }

  @Test
  void aUssdAnswerAfterTheEndScreenStopsTheScriptWithFileAndLine() throws Exception {
    // The quick-exit word ends the session (END): typing on is refused where it is written.
    SimulatorScript script = SimulatorScript.parse("over.txt", "ussd +8801711000004\n> dial\n> exit\n> 1\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(script.run(player, player::text, ussd, new PrintStream(out, true, StandardCharsets.UTF_8))).isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("> exit\n< END ").contains("! over.txt:4: the USSD session is over (its last screen was END)");
  }

  /** Why bad.txt with this text is refused. */
  static Throwable refused(String text) {
    return org.assertj.core.api.Assertions.catchThrowable(() -> SimulatorScript.parse("bad.txt", text));
  }

  @Test
  void aBadUssdScriptIsRefusedWithFileAndLine() {
    assertThat(refused("ussd +8801711000005\n> 1\n"))
        .hasMessage("bad.txt:2: a ussd conversation starts with '> dial' (then '> 1' types 1 in the session)");
    assertThat(refused("ussd +8801711000005\n< CON Sathi\n"))
        .hasMessageStartingWith("bad.txt:2: no USSD screen to expect this on");
    assertThat(refused("# resume\nussd +8801711000005\n> dial\n> cut\n> 1\n")).hasMessage("bad.txt:5: after '> cut' there is no session: '> dial' again");
    assertThat(refused("ussd +8801711000005\n> dial\n> 1*2\n"))
        .hasMessageStartingWith("bad.txt:3: a USSD answer cannot hold '*'");
    assertThat(refused("ussd 01711000005\n"))
        .hasMessage("bad.txt:1: '01711000005' is not a phone number in E.164, such as +8801700000001");
  }

  /** {@code ./sathi simulate ARGS} with this environment: what it printed, after checking its exit status. */
  static String simulate(List<String> args, java.util.Map<String, String> env, int status) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int got = org.sathi.server.MainAccess.simulate(args, env, new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(got).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(status);
    return out.toString(StandardCharsets.UTF_8);
  }

  static final java.util.Map<String, String> SIGNING = java.util.Map.of("SATHI_PUBLIC_URL", TestPhone.PUBLIC_URL, "TWILIO_AUTH_TOKEN",
      TestPhone.AUTH_TOKEN);

  @Test
  void simulatePlaysAUssdScriptOnTheDemosChannelAndSaysWhenTheKeyIsWrong(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path script = dir.resolve("menu-ussd.txt");
    Files.writeString(script, "ussd +8801711000006\n> dial\n< CON সাথী। নম্বর লিখুন:\n< 98. আরও\n");
    String url = "http://127.0.0.1:" + hotline.server.port();
    assertThat(simulate(List.of("--script", script.toString(), "--url", url), SIGNING, 0)).contains("< 1. সমস্যা জানান", "OK:");
    assertThat(simulate(List.of("--script", script.toString(), "--url", url, "--ussd-key", "not-the-key"), SIGNING, 1))
        .contains("! " + script + ":2: the USSD channel answered HTTP 403", "--ussd-key", "MISMATCH");
    assertThat(simulate(List.of("--script", script.toString(), "--url", url, "--ussd-channel", "bd-ussd"),
        java.util.Map.of("SATHI_USSD_KEY", UssdPlayer.DEMO_KEY), 1)).contains("! " + script + ":2: the USSD channel answered HTTP 404");
  }

  @Test
  void aScriptThatDoesNotMatchSaysWhereAndFails() throws Exception {
    SimulatorScript script = SimulatorScript.parse("wrong.txt", "sms +447700900123\n> hello\n< Sathi. Reply with a number:\n< This is not what Sathi says\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(script.run(player, new PrintStream(out, true, StandardCharsets.UTF_8))).isFalse();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("> hello").contains("< Sathi. Reply with a number:")
        .contains("! wrong.txt:4: expected 'This is not what Sathi says'");
  }

  @Test
  void simulateExitsZeroWhenTheConversationGoesAsScriptedAndOneWhenNot(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.txt");
    Files.writeString(good, "sms +447700900123\n> hello\n< Sathi. Reply with a number:\n> 4\n");
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "sms +447700900123\n> hello\n< Hello, how can I help?\n");
    // Signed for the hotline's public URL, sent to where it listens.
    String url = "http://127.0.0.1:" + hotline.server.port();
    assertThat(simulate(List.of("--script", good.toString(), "--url", url), SIGNING, 0)).contains("< 4. Useful numbers").contains("OK:");
    assertThat(simulate(List.of("--script", wrong.toString(), "--url", url), SIGNING, 1)).contains("< Sathi. Reply with a number:")
        .contains("! " + wrong + ":3").contains("MISMATCH");
    simulate(List.of("--script", dir.resolve("missing.txt").toString()), SIGNING, 1);
    assertThat(simulate(List.of(), SIGNING, 2)).as("the usage line").contains("--ussd-channel NAME", "--ussd-key KEY", "SATHI_USSD_KEY");
  }

  @Test
  void aBadScriptIsRefusedWithFileAndLine() {
    assertThat(refused("# x\nsms 12345\n"))
        .hasMessage("bad.txt:2: '12345' is not a phone number in E.164, such as +8801700000001");
    assertThat(refused("> hello\n"))
        .hasMessageStartingWith("bad.txt:1: start with 'sms +NUMBER'");
    assertThat(refused("sms +447700900123\nhello\n"))
        .hasMessageStartingWith("bad.txt:2: a line is");
  }
}
