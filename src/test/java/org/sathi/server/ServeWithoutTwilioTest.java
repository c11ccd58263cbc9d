package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.channel.smpp.SimulatedSmsc;
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.SmppPhone;
import org.sathi.testing.TestHotline;

/**
 * {@code serve} asks for Twilio's settings only when Twilio carries texts (a twilio channel, or no
 * {@code channels:}) or calls ({@code voice.enabled}), and then says why and how to run without them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeWithoutTwilioTest {
  static final Map<String, String> ENV = Map.of("SATHI_SECRET", "test-secret-0123456789", "SMPP_TEST_PASSWORD", SmppPhone.PASSWORD);

  /** The shipped config with an operator's SMSC as its only channel, and calls on or off. */
  static Path smppOnly(Path dir, int smscPort, boolean voice, String... moreChannels) throws Exception {
    String shipped = Files.readString(Path.of("config/sathi.yaml"));
    String config = (voice ? shipped : shipped.replace("voice:\n  enabled: true", "voice:\n  enabled: false")) + String.join("\n", "",
        "channels:", "  - name: " + SmppPhone.CHANNEL, "    type: smpp", "    host: 127.0.0.1", "    port: " + smscPort,
        "    systemId: " + SmppPhone.SYSTEM_ID, "    passwordEnv: SMPP_TEST_PASSWORD", "    sourceAddress: \"" + SmppPhone.SHORT_CODE + "\"",
        "    countries: [\"880\"]", String.join("\n", moreChannels), "");
    return Files.writeString(dir.resolve("sathi.yaml"), config);
  }

  @Test
  void anSmppOnlyHotlineWithoutCallsStartsWithoutTwilioAndHasNoTwilioWebhooks(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (SimulatedSmsc smsc = new SimulatedSmsc(0, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD)) {
      Path file = smppOnly(dir, smsc.port(), false);
      Config config = Config.load(file, ENV).withPort(0);
      assertThat(Main.serveProblems(config, file)).isEmpty();

      MemorySessionStore store = new MemorySessionStore(config.session().times(), TestHotline.codec(), Clock.systemUTC());
      TestHotline hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), ReferenceCode::next,
          Clock.systemUTC(), config);
      assertThat(post(hotline.server.port(), "/twilio/sms")).isEqualTo(404);
      assertThat(post(hotline.server.port(), "/twilio/voice")).isEqualTo(404);

      SmppPhone.awaitBind(smsc, Duration.ofSeconds(10));
      List<String> reply = new SmppPhone(smsc, Duration.ofSeconds(5)).text("+8801700000001", "hello");
      assertThat(reply.get(0)).as("texts over the SMSC are answered").containsPattern("(?m)^1\\. ");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void callsNeedTwilioAndTheRefusalNamesWhatIsMissingAndHowToRunWithout(@TempDir Path dir) throws Exception {
    Path file = smppOnly(dir, 2775, true);
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("TWILIO_AUTH_TOKEN", "a-token");

    List<String> refusal = Main.serveProblems(Config.load(file, env), file);

    assertThat(refusal).singleElement().asString()
        .contains("TWILIO_ACCOUNT_SID").contains("TWILIO_FROM").doesNotContain("TWILIO_AUTH_TOKEN")
        .contains("needed because voice is enabled").contains("set voice.enabled: false in " + file).doesNotContain("channel '");
  }

  @Test
  void aTwilioChannelNeedsTwilioEvenWithoutCalls(@TempDir Path dir) throws Exception {
    Path file = smppOnly(dir, 2775, false, "  - name: twilio", "    type: twilio");

    List<String> refusal = Main.serveProblems(Config.load(file, ENV), file);

    assertThat(refusal).singleElement().asString().contains("TWILIO_AUTH_TOKEN").contains("needed because channel 'twilio' is configured")
        .contains("remove channel 'twilio' from channels: in " + file).doesNotContain("voice");
  }

  @Test
  void withoutChannelsTwilioCarriesTheTextsAsBefore() throws Exception {
    Path file = Path.of("config/sathi.yaml");

    List<String> refusal = Main.serveProblems(Config.load(file, ENV), file);

    assertThat(refusal).singleElement().asString().contains("TWILIO_AUTH_TOKEN")
        .contains("texts come through Twilio when there is no channels: list").contains("because voice is enabled");
  }

  @Test
  void withoutTwilioOnlyTheSecretIsAskedFor(@TempDir Path dir) throws Exception {
    Path file = smppOnly(dir, 2775, false);

    List<String> refusal = Main.serveProblems(Config.load(file, Map.of("SMPP_TEST_PASSWORD", SmppPhone.PASSWORD)), file);

    assertThat(refusal).singleElement().asString().contains("SATHI_SECRET").doesNotContain("TWILIO");
  }

  @Test
  void theSimulatorIsRefusedWhereThereAreNoTwilioWebhooksToPlay(@TempDir Path dir) throws Exception {
    Path file = smppOnly(dir, 2775, false);
    Files.writeString(file, Files.readString(file).replace("  simulator: false", "  simulator: true"));

    assertThat(Main.serveProblems(Config.load(file, ENV), file)).singleElement().asString().contains("set server.simulator: false in " + file);
  }

  @Test
  void withoutTwilioAnOfficerNoChannelReachesIsNamedAtStartByIdNotPhone(@TempDir Path dir) throws Exception {
    Path file = smppOnly(dir, 2775, false);
    Config servesBangladesh = Config.load(file, ENV);
    Config servesIndia = Config.load(Files.writeString(file, Files.readString(file).replace("[\"880\"]", "[\"91\"]")), ENV);

    assertThat(Main.unreachableOfficers(TestHotline.roster(), servesBangladesh, file)).isEmpty();
    assertThat(Main.unreachableOfficers(TestHotline.roster(), servesIndia, file))
        .anySatisfy(line -> assertThat(line).contains("officer rahim cannot be paged").contains("countries:"))
        .allSatisfy(line -> assertThat(line).doesNotContain("+880"));
  }

  /** A POST as Twilio would send one; the status only. */
  static int post(int port, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("From=%2B8801700000001&Body=hi"))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
