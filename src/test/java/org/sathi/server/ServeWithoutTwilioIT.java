package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.channel.smpp.SimulatedSmsc;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.SathiProcess;
import org.sathi.testing.SmppPhone;

/**
 * {@code sathi serve} from the built jar, with an operator's SMSC as its only channel: without
 * calls it runs with no Twilio settings at all; with calls it refuses, and says why.
 */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeWithoutTwilioIT {
  @TempDir
  Path dir;

  @Test
  void anSmppOnlyHotlineWithoutCallsServesWithNoTwilioSettings() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start(); SimulatedSmsc smsc = new SimulatedSmsc(0, SmppPhone.SYSTEM_ID, SmppPhone.PASSWORD)) {
      Path config = ServeWithoutTwilioTest.smppOnly(dir, smsc.port(), false);
      int port = freePort();
      Process sathi = SathiProcess.startWithoutTwilio(config, dir, port, redis.url(), Map.of("SMPP_TEST_PASSWORD", SmppPhone.PASSWORD), smsc::bound);
      try {
        assertThat(ServeWithoutTwilioTest.post(port, "/twilio/sms")).isEqualTo(404);
        assertThat(ServeWithoutTwilioTest.post(port, "/twilio/voice")).isEqualTo(404);
        List<String> reply = new SmppPhone(smsc, Duration.ofSeconds(10)).text("+8801700000001", "hello");
        assertThat(reply.get(0)).as("texts over the SMSC are answered").containsPattern("(?m)^1\\. ");
      } finally {
        sathi.destroy();
        sathi.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void withCallsOnItRefusesToStartAndSaysHowToRunWithoutTwilio() throws Exception {
    Path config = ServeWithoutTwilioTest.smppOnly(dir, 2775, true);
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("sathi.log");
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", "target/sathi.jar", "serve", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(name -> name.startsWith("TWILIO_"));
    pb.environment().putAll(Map.of("SATHI_SECRET", "crash-test-secret-0123456789", "SMPP_TEST_PASSWORD", SmppPhone.PASSWORD));
    Process sathi = pb.start();
    boolean exited = sathi.waitFor(60, TimeUnit.SECONDS);
    if (!exited) sathi.destroyForcibly().waitFor();
    String out = Files.readString(log, StandardCharsets.UTF_8);

    assertThat(exited).as("serve refused to start:%n%s", out).isTrue();
    assertThat(sathi.exitValue()).as(out).isEqualTo(1);
    assertThat(out).contains("Sathi did not start: set TWILIO_AUTH_TOKEN").contains("needed because voice is enabled")
        .contains("set voice.enabled: false in " + config);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
