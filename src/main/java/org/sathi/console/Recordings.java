package org.sathi.console;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reporter's recording, fetched from Twilio for an officer's browser: officers need no Twilio
 * login, and the browser never learns Twilio's URL. Only a recording of this hotline's own account
 * is fetched ({@code /2010-04-01/Accounts/<our SID>/Recordings/RE...}), from the configured API base
 * ({@code TWILIO_API_BASE}), as MP3; anything else is refused, so a report's stored URL cannot make
 * Sathi fetch another address.
 */
public final class Recordings {
  static final Pattern TWILIO_RECORDING = Pattern.compile(
      "https://api\\.twilio\\.com(/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/RE[0-9a-zA-Z]{32})(?:\\.(?:mp3|wav))?");
  /** A longer answer than Twilio records (120 s of MP3 is about 1 MB) is not a recording of ours. */
  static final int MAX_BYTES = 8 * 1024 * 1024;

  /** What came back: the audio, or the status to give the officer and why. */
  public record Audio(int status, Buffer body, String contentType, String problem) {}

  private final String accountSid;
  private final String authorization;
  private final String apiBase;
  private final HttpClient http;

  /** @param apiBase TWILIO_API_BASE: {@code https://api.twilio.com}, or a stand-in in tests and the simulator */
  public Recordings(String accountSid, String authToken, String apiBase) {
    this.accountSid = accountSid == null ? "" : accountSid;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((this.accountSid + ":" + (authToken == null ? "" : authToken))
        .getBytes(StandardCharsets.UTF_8));
    String base = apiBase == null || apiBase.isBlank() ? "https://api.twilio.com" : apiBase.strip();
    this.apiBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Whether Sathi would fetch this stored URL at all. */
  public boolean fetchable(String stored) {
    if (stored == null) return false;
    Matcher m = TWILIO_RECORDING.matcher(stored);
    return m.matches() && m.group(2).equalsIgnoreCase(accountSid);
  }

  public Future<Audio> fetch(Vertx vertx, String stored) {
    if (!fetchable(stored)) return Future.succeededFuture(new Audio(404, null, null, "This recording is not one of this hotline's."));
    Matcher m = TWILIO_RECORDING.matcher(stored);
    m.matches();
    HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + m.group(1) + ".mp3"))
        .timeout(Duration.ofSeconds(15)).header("Authorization", authorization).GET().build();
    Context context = vertx.getOrCreateContext();
    return Future.fromCompletionStage(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()), context)
        .map(r -> {
          if (r.statusCode() == 404) return new Audio(404, null, null, "Twilio no longer has this recording (deleted, or past its retention).");
          if (r.statusCode() != 200) return new Audio(502, null, null, "Twilio answered HTTP " + r.statusCode() + " for the recording; try again.");
          if (r.body().length > MAX_BYTES) return new Audio(502, null, null, "The recording is larger than a hotline recording can be.");
          // Twilio sends audio/mpeg for .mp3; a stand-in (the simulator) may keep what the browser recorded.
          String type = r.headers().firstValue("Content-Type").filter(t -> t.startsWith("audio/")).orElse("audio/mpeg");
          return new Audio(200, Buffer.buffer(r.body()), type, null);
        })
        .recover(err -> Future.succeededFuture(new Audio(502, null, null, "Twilio could not be reached for the recording; try again.")));
  }
}
