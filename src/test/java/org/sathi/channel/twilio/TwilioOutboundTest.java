package org.sathi.channel.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** TwilioOutbound against WireMock standing in for api.twilio.com: what Twilio would have received. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TwilioOutboundTest {
  static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  static final String AUTH_TOKEN = "test-auth-token-5f1c";
  static final String FROM = "+15005550006";
  static final String MESSAGING_SERVICE = "MG00112233445566778899aabbccddeeff";
  static final String TO = "+8801719283746";
  static final String TO_DIGITS = "8801719283746";
  static final String BENGALI = "আপনার বার্তা পাওয়া গেছে। রেফারেন্স: ABCD-EFGH";
  static final String ENGLISH = "Page P1 ABCD-EFGH child-at-risk";
  static final String PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
  static final String SID = "SM0123456789abcdef0123456789abcdef";

  static WireMockServer twilio;
  static ListAppender<ILoggingEvent> logs;

  Vertx vertx;
  final List<TwilioOutbound> opened = new ArrayList<>();

  @BeforeAll
  static void startTwilio() {
    twilio = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    twilio.start();
    logs = new ListAppender<>();
    logs.start();
    root().addAppender(logs);
  }

  @AfterAll
  static void stopTwilio() {
    root().detachAppender(logs);
    twilio.stop();
  }

  @BeforeEach
  void fresh(Vertx vertx) {
    this.vertx = vertx;
    twilio.resetAll();
    logs.list.clear();
  }

  @AfterEach
  void noNumberOrBodyInAnyLogLine() {
    opened.forEach(TwilioOutbound::close);
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      StringBuilder text = new StringBuilder(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append(' ').append(t.getMessage());
      }
      assertThat(text.toString()).doesNotContain(TO_DIGITS).doesNotContain(BENGALI).doesNotContain(ENGLISH)
          .doesNotContain("বার্তা");
    }
  }

  // --- what Twilio receives ---------------------------------------------------------------------

  @Test
  void postsTheMessageTwilioExpectsWithBengaliBodyIntact() throws Exception {
    created(PATH);
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(5), 3);

    String sid = await(out.sendSms(TO, BENGALI));

    assertThat(sid).isEqualTo(SID);
    List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(PATH)));
    assertThat(requests).hasSize(1);
    LoggedRequest r = requests.get(0);
    assertThat(r.getUrl()).isEqualTo(PATH);
    assertThat(r.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    assertThat(r.getHeader("User-Agent")).startsWith("twilio-java/");
    Map<String, String> form = utf8Form(r.getBody());
    assertThat(form).containsOnly(Map.entry("To", TO), Map.entry("From", FROM), Map.entry("Body", BENGALI));
    // The percent-encoding is of the UTF-8 bytes: "আ" is E0 A6 86.
    assertThat(new String(r.getBody(), StandardCharsets.US_ASCII)).contains("%E0%A6%86");
    assertThat(twilio.getAllServeEvents()).hasSize(1);
  }

  @Test
  void aMessagingServiceSidIsSentInsteadOfFrom() throws Exception {
    created(PATH);
    TwilioOutbound out = outbound(base(), MESSAGING_SERVICE, Duration.ofSeconds(5), 3);

    assertThat(await(out.sendSms(TO, ENGLISH))).isEqualTo(SID);

    Map<String, String> form = utf8Form(twilio.findAll(postRequestedFor(urlEqualTo(PATH))).get(0).getBody());
    assertThat(form).containsOnly(Map.entry("To", TO), Map.entry("MessagingServiceSid", MESSAGING_SERVICE),
        Map.entry("Body", ENGLISH));
  }

  @Test
  void anApiBaseWithAPathPrefixKeepsThePrefix() throws Exception {
    created("/twilio-stand-in" + PATH);
    TwilioOutbound out = outbound(base() + "/twilio-stand-in/", FROM, Duration.ofSeconds(5), 1);

    assertThat(await(out.sendSms(TO, ENGLISH))).isEqualTo(SID);
    assertThat(twilio.findAll(postRequestedFor(urlEqualTo("/twilio-stand-in" + PATH)))).hasSize(1);
  }

  // --- retries -----------------------------------------------------------------------------------

  @Test
  void a500ThenA201IsRetriedAndSucceeds() throws Exception {
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(twilioError(500, 20500, "Internal Server Error"))
        .willSetStateTo("recovered"));
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(createdResponse()));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(5), 3);

    assertThat(await(out.sendSms(TO, BENGALI))).isEqualTo(SID);

    List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlEqualTo(PATH)));
    assertThat(requests).hasSize(2);
    assertThat(utf8Form(requests.get(1).getBody())).containsEntry("Body", BENGALI).containsEntry("To", TO);
    assertThat(failureLines()).singleElement().satisfies(line ->
        assertThat(line).contains("HTTP 500").contains("1/3").contains("retrying"));
  }

  @Test
  void a429IsRetriedAfterRetryAfter() throws Exception {
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("busy").whenScenarioStateIs(STARTED)
        .willReturn(twilioError(429, 20429, "Too Many Requests").withHeader("Retry-After", "1"))
        .willSetStateTo("free"));
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("busy").whenScenarioStateIs("free")
        .willReturn(createdResponse()));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(5), 2);

    long start = System.nanoTime();
    assertThat(await(out.sendSms(TO, ENGLISH))).isEqualTo(SID);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(twilio.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
    assertThat(failureLines()).singleElement().satisfies(line -> assertThat(line).contains("HTTP 429").contains("1/2"));
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("reset").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
        .willSetStateTo("fine"));
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("reset").whenScenarioStateIs("fine")
        .willReturn(createdResponse()));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(5), 3);

    assertThat(await(out.sendSms(TO, ENGLISH))).isEqualTo(SID);
    assertThat(twilio.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
    assertThat(failureLines()).singleElement().satisfies(line -> assertThat(line).contains("I/O error").contains("1/3"));
  }

  @Test
  void persistent5xxGivesUpAfterMaxAttempts() {
    twilio.stubFor(post(urlEqualTo(PATH)).willReturn(twilioError(503, 20503, "Service Unavailable")));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(10), 3);

    TwilioOutbound.SendException e = failure(out.sendSms(TO, BENGALI));

    assertThat(twilio.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(3);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.getMessage()).contains("HTTP 503").contains("3 attempt(s)");
    assertThat(failureLines()).hasSize(3).allSatisfy(line -> assertThat(line).contains("HTTP 503"));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404})
  void a4xxIsNotRetriedAndItsErrorNeverQuotesTheNumberOrBody(int status) {
    // Twilio's real 400 for a bad number quotes the number back.
    twilio.stubFor(post(urlEqualTo(PATH)).willReturn(
        twilioError(status, 21211, "The 'To' number " + TO + " is not a valid phone number. Body: " + BENGALI)));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(5), 3);

    TwilioOutbound.SendException e = failure(out.sendSms(TO, BENGALI));

    assertThat(twilio.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.twilioErrorCode()).isEqualTo(21211);
    assertThat(e.getMessage()).contains("HTTP " + status).contains("not retried")
        .doesNotContain(TO_DIGITS).doesNotContain(BENGALI).doesNotContain("বার্তা");
    assertThat(e.getCause()).isNull();
    assertThat(String.valueOf(e)).doesNotContain(TO_DIGITS);
    assertThat(failureLines()).singleElement().satisfies(line -> assertThat(line).contains("HTTP " + status).contains("1/3"));
  }

  @Test
  void connectionRefusedIsRetriedThenFailsSafely() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    TwilioOutbound out = outbound("http://127.0.0.1:" + closedPort, FROM, Duration.ofSeconds(10), 3);

    TwilioOutbound.SendException e = failure(out.sendSms(TO, BENGALI));

    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.httpStatus()).isZero();
    assertThat(e.getMessage()).contains("connection refused").doesNotContain(TO_DIGITS);
    assertThat(failureLines()).hasSize(3);
  }

  // --- timeouts ----------------------------------------------------------------------------------

  @Test
  void aHangingServerFailsWithinTheTimeout() {
    twilio.stubFor(post(urlEqualTo(PATH)).willReturn(createdResponse().withFixedDelay(15_000)));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofMillis(1_000), 3);

    long start = System.nanoTime();
    TwilioOutbound.SendException e = failure(out.sendSms(TO, BENGALI));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofMillis(2_500));
    assertThat(e.getMessage()).contains("timed out").doesNotContain(TO_DIGITS);
    assertThat(e.httpStatus()).isZero();
    assertThat(twilio.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(1);
  }

  @Test
  void theTimeoutBoundsTheWholeCallRetriesIncluded() {
    // A slow 500, then a hang: the retry gets only the time that is left, not a fresh timeout.
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("slow").whenScenarioStateIs(STARTED)
        .willReturn(twilioError(500, 20500, "Internal Server Error").withFixedDelay(1_200))
        .willSetStateTo("hang"));
    twilio.stubFor(post(urlEqualTo(PATH)).inScenario("slow").whenScenarioStateIs("hang")
        .willReturn(createdResponse().withFixedDelay(15_000)));
    TwilioOutbound out = outbound(base(), FROM, Duration.ofMillis(2_000), 3);

    long start = System.nanoTime();
    TwilioOutbound.SendException e = failure(out.sendSms(TO, ENGLISH));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_900)).isLessThan(Duration.ofMillis(3_000));
    assertThat(e.getMessage()).contains("timed out");
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(twilio.findAll(postRequestedFor(urlEqualTo(PATH)))).hasSize(2);
  }

  // --- threads and contexts ----------------------------------------------------------------------

  @Test
  void completesOnTheCallersContextAndNeverBlocksAnEventLoop(VertxTestContext test) {
    created(PATH);
    TwilioOutbound out = outbound(base(), FROM, Duration.ofSeconds(5), 3);
    AtomicReference<Thread> sdkThread = new AtomicReference<>();
    AtomicReference<Boolean> sdkOnEventLoop = new AtomicReference<>();
    AtomicReference<Context> sdkContext = new AtomicReference<>();
    out.onBlockingCall(() -> {
      sdkThread.set(Thread.currentThread());
      sdkOnEventLoop.set(Context.isOnEventLoopThread());
      sdkContext.set(Vertx.currentContext());
    });

    // Callers on two different event-loop contexts and on a worker context: each gets its answer on its own.
    var internal = (io.vertx.core.internal.VertxInternal) vertx;
    List<Context> callers = List.of(internal.createEventLoopContext(), internal.createEventLoopContext(),
        internal.createWorkerContext());
    for (Context caller : callers) {
      var checkpoint = test.checkpoint();
      caller.runOnContext(v -> {
        Thread callerThread = Thread.currentThread();
        out.sendSms(TO, BENGALI).onComplete(ar -> test.verify(() -> {
          assertThat(ar.succeeded()).as("send succeeded").isTrue();
          assertThat(ar.result()).isEqualTo(SID);
          assertThat(Vertx.currentContext()).isSameAs(caller);
          if (caller.isEventLoopContext()) {
            assertThat(Thread.currentThread()).isSameAs(callerThread);
          } else {
            assertThat(Context.isOnWorkerThread()).isTrue();
          }
          assertThat(sdkThread.get()).isNotNull();
          assertThat(sdkThread.get().isVirtual()).isTrue();
          assertThat(sdkOnEventLoop.get()).isFalse();
          assertThat(sdkContext.get()).isNull();
          checkpoint.flag();
        }));
      });
    }
    assertThat(callers.get(0)).isNotSameAs(callers.get(1));
  }

  // --- helpers -----------------------------------------------------------------------------------

  TwilioOutbound outbound(String apiBase, String from, Duration timeout, int maxAttempts) {
    TwilioOutbound out = new TwilioOutbound(ACCOUNT_SID, AUTH_TOKEN, apiBase, from, vertx, timeout, maxAttempts);
    opened.add(out);
    return out;
  }

  static String base() {
    return "http://127.0.0.1:" + twilio.port();
  }

  static void created(String path) {
    twilio.stubFor(post(urlEqualTo(path)).willReturn(createdResponse()));
  }

  /** Twilio's 201 for POST .../Messages.json, as the real API returns it. */
  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder createdResponse() {
    String json = """
        {"account_sid":"%1$s","api_version":"2010-04-01","body":"%4$s",\
        "date_created":"Mon, 23 Nov 2026 10:00:00 +0000","date_sent":null,\
        "date_updated":"Mon, 23 Nov 2026 10:00:00 +0000","direction":"outbound-api","error_code":null,\
        "error_message":null,"from":"%3$s","messaging_service_sid":null,"num_media":"0","num_segments":"1",\
        "price":null,"price_unit":"USD","sid":"%2$s","status":"queued",\
        "subresource_uris":{"media":"/2010-04-01/Accounts/%1$s/Messages/%2$s/Media.json"},\
        "to":"%5$s","uri":"/2010-04-01/Accounts/%1$s/Messages/%2$s.json"}"""
        .formatted(ACCOUNT_SID, SID, FROM, "(echoed body)", TO);
    return aResponse().withStatus(201).withHeader("Content-Type", "application/json; charset=utf-8").withBody(json);
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder twilioError(int status, int code, String message) {
    String json = """
        {"code":%d,"message":"%s","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}"""
        .formatted(code, message, code, status);
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(json);
  }

  /** Decodes an application/x-www-form-urlencoded body as UTF-8, as Twilio does. */
  static Map<String, String> utf8Form(byte[] body) {
    Map<String, String> form = new LinkedHashMap<>();
    String ascii = new String(body, StandardCharsets.US_ASCII);
    assertThat(ascii).as("form body is pure ASCII percent-encoding").isEqualTo(new String(body, StandardCharsets.UTF_8));
    for (String pair : ascii.split("&")) {
      int eq = pair.indexOf('=');
      String previous = form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      assertThat(previous).as("field sent once").isNull();
    }
    return form;
  }

  static List<String> failureLines() {
    return List.copyOf(logs.list).stream()
        .filter(e -> e.getLoggerName().equals(TwilioOutbound.class.getName()) && e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static TwilioOutbound.SendException failure(Future<?> f) {
    ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> await(f));
    assertThat(e).as("send failed").isNotNull();
    assertThat(e.getCause()).isInstanceOf(TwilioOutbound.SendException.class);
    return (TwilioOutbound.SendException) e.getCause();
  }

  static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
