package org.sathi.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sathi.channel.smpp.SimulatedSmsc;
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.session.MemorySessionStore;
import org.sathi.simulator.SimulatorScript;
import org.sathi.simulator.TwilioPlayer;
import org.sathi.simulator.UssdPlayer;
import org.sathi.testing.KannelPhone;
import org.sathi.testing.SmppPhone;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * The same conversations, every flow in every language (the simulator's SMS scripts), through each
 * text channel: Twilio's webhook, an operator's SMSC over SMPP, a Kannel gateway, WhatsApp on Twilio's webhook, and a
 * USSD code (its screens read to their end, as {@link UssdPlayer} does). A transport
 * only translates its wire format, so what the caller reads must be the same on each. A channel
 * type without its run here fails the build (DESIGN.md §5).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TextChannelContractTest {
  static final Path SCRIPTS = Path.of("src/test/resources/simulator");
  /** The runs of every script: one per channel type that a {@code channels:} entry can declare. */
  static final List<String> CHANNEL_TYPES = List.of("twilio", "smpp", "kannel", "ussd", "whatsapp");
  static final String USSD_KEY = "ussd-test-key-0123456789";

  static Vertx vertx;
  static SimulatedSmsc smsc;
  static TestHotline hotline;
  static TwilioPlayer player;
  static SmppPhone smpp;
  static KannelPhone kannel;
  static UssdPlayer ussd;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    smsc = new SimulatedSmsc(0, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD);
    kannel = new KannelPhone(Duration.ofSeconds(5));
    // Each channel answers a turn on itself, whatever the caller's country; officers' replies and
    // pages follow the calling code: Bangladesh's short code over SMPP, India's through Kannel, the rest Twilio.
    // WhatsApp arrives on Twilio's webhook beside SMS, each script's number as whatsapp:+E164.
    var config = TestHotline.config().withChannels(List.of(new Channels.Twilio("sms", List.of(), 1),
        SmppPhone.channel(smsc.port(), List.of("880")), kannel.channel(List.of("91")), ussdChannel(),
        new Channels.WhatsApp("whatsapp", "whatsapp:" + TestHotline.HOTLINE, List.of("880"), null, 24, 1)));
    var store = new MemorySessionStore(config.session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), ReferenceCode::next,
        java.time.Clock.systemUTC(), config);
    player = new TwilioPlayer("http://127.0.0.1:" + hotline.server.port(), TestPhone.PUBLIC_URL, TestPhone.AUTH_TOKEN, "ACtest", TestHotline.HOTLINE);
    SmppPhone.awaitBind(smsc, Duration.ofSeconds(10));
    smpp = new SmppPhone(smsc, Duration.ofSeconds(5));
    kannel.reaching("http://127.0.0.1:" + hotline.server.port());
    ussd = new UssdPlayer(() -> "http://127.0.0.1:" + hotline.server.port(), "bd-ussd", USSD_KEY, UssdPlayer.DEMO_CODE);
  }

  /** A USSD code with the default screens: 182 GSM-7 characters, 80 in other scripts. */
  static Channels.Ussd ussdChannel() {
    return new Channels.Ussd("bd-ussd", "africastalking", UssdPlayer.DEMO_CODE, "USSD_TEST_KEY", USSD_KEY, Channels.USSD_MAX_CHARS,
        Channels.USSD_UNICODE_CHARS, Channels.USSD_DEADLINE_MILLIS, List.of("880"), 1);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    smsc.close();
    kannel.close();
  }

  static Stream<Arguments> conversations() throws Exception {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith("-sms.txt")).sorted().toList()) {
        for (String channel : CHANNEL_TYPES) out.add(Arguments.of(p.getFileName().toString(), channel));
      }
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(12 * CHANNEL_TYPES.size());
    return out.stream();
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("conversations")
  void everyTextChannelHoldsTheSameConversations(String script, String channel) throws Exception {
    Path file = SCRIPTS.resolve(script);
    ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    SimulatorScript.Texts texts = switch (channel) {
      case "smpp" -> smpp;
      case "kannel" -> kannel;
      case "ussd" -> ussd;
      case "whatsapp" -> player::whatsApp;
      default -> player::text;
    };
    boolean ok = SimulatorScript.parse(file.toString(), Files.readString(file)).run(player, texts, new PrintStream(transcript, true, StandardCharsets.UTF_8));
    assertThat(ok).as("%s over %s:%n%s", script, channel, transcript.toString(StandardCharsets.UTF_8)).isTrue();
  }

  /**
   * Every channel type that config can declare has its run above: a type is a record of the sealed
   * {@link Channels.Channel}, named in {@code type:} as its name in lower case ({@code Kannel} is
   * {@code type: kannel}, as {@link Channels#load} confirms).
   */
  @Test
  void everyChannelTypeRunsTheseConversations(@TempDir Path dir) throws Exception {
    Set<String> declared = new TreeSet<>();
    for (Class<?> type : Channels.Channel.class.getPermittedSubclasses()) {
      String name = type.getSimpleName().toLowerCase(Locale.ROOT);
      Path yaml = Files.writeString(dir.resolve(name + ".yaml"), "channels:\n  - name: probe\n    type: " + name + "\n");
      assertThat(Channels.load(yaml, Map.of(), false).problems()).as("'type: %s' is a channel type", name)
          .noneMatch(p -> p.toString().contains("unknown channel type"));
      declared.add(name);
    }
    assertThat(CHANNEL_TYPES).as("each channel type runs the shared conversations").containsExactlyInAnyOrderElementsOf(declared);
  }
}
