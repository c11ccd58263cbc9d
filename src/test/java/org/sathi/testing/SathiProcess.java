package org.sathi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code sathi serve} as production runs it: the built jar in its own process, so that a test can
 * kill it (kill -9) and start it again. Started with a config file, a port and a Redis; ready once
 * {@code /health/ready} answers 200 and {@code alsoReady} holds (an SMPP bind, say).
 */
public final class SathiProcess {
  private SathiProcess() {}

  public static Process start(Path config, Path logDir, int port, String redisUrl, Map<String, String> env, BooleanSupplier alsoReady)
      throws Exception {
    Map<String, String> withTwilio = new java.util.HashMap<>(Map.of("TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32),
        "TWILIO_AUTH_TOKEN", TestPhone.AUTH_TOKEN, "TWILIO_FROM", "+8809610000000",
        "TWILIO_API_BASE", "http://127.0.0.1:9")); // pages fail fast; these tests are about reports
    withTwilio.putAll(env);
    return startWithoutTwilio(config, logDir, port, redisUrl, withTwilio, alsoReady);
  }

  /** The same with no Twilio settings in its environment but those in {@code env}. */
  public static Process startWithoutTwilio(Path config, Path logDir, int port, String redisUrl, Map<String, String> env,
      BooleanSupplier alsoReady) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder pb = new ProcessBuilder(java, "-jar", "target/sathi.jar", "serve", "--config", config.toString());
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(name -> name.startsWith("TWILIO_"));
    e.put("SATHI_PORT", String.valueOf(port));
    e.put("SATHI_PUBLIC_URL", TestPhone.PUBLIC_URL);
    e.put("REDIS_URL", redisUrl);
    e.put("SATHI_SECRET", "crash-test-secret-0123456789");
    e.putAll(env);
    pb.redirectErrorStream(true).redirectOutput(logDir.resolve("sathi-" + System.nanoTime() + ".log").toFile());
    Process sathi = pb.start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 && alsoReady.getAsBoolean()) return sathi;
      } catch (IOException notYet) {
        // starting
      }
      assertThat(sathi.isAlive()).as("sathi serve is running").isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("sathi serve did not become ready");
  }
}
