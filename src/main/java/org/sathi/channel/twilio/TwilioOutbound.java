package org.sathi.channel.twilio;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS through Twilio's REST API with the Twilio SDK's own request building
 * ({@code Message.creator(...).create(client)}), against a configurable base URL
 * ({@code TWILIO_API_BASE}: {@code https://api.twilio.com} in production, a local stand-in in tests
 * and in the simulator).
 *
 * <ul>
 *   <li>No global SDK state: {@code Twilio.init} is never called; this class owns its own
 *       {@link TwilioRestClient} and connection pool.</li>
 *   <li>The blocking SDK call runs on a virtual thread, never on an event loop; the returned
 *       {@link Future} completes on the caller's Vert.x context.</li>
 *   <li>{@code timeout} bounds the whole call, retries included: every attempt gets the time that is
 *       left as its response timeout (and at most a third of it, at least one second, to connect).</li>
 *   <li>Retries on HTTP 429, HTTP 5xx and I/O errors (connection refused, reset, timed out), with a
 *       short jittered exponential backoff (honouring a short {@code Retry-After}), up to
 *       {@code maxAttempts} attempts in all; never on any other status. The SDK's own built-in retry
 *       (three tries on 5xx) and Apache HttpClient's automatic retries are switched off, so this
 *       policy is the only one.</li>
 *   <li>Failures are {@link SendException}s whose message says what failed, the HTTP status and
 *       Twilio's numeric error code: never Twilio's error text (it can quote the number), never the
 *       number, never the body, and no cause is attached for the same reason. One log line per failed
 *       attempt, with the status and the attempt count.</li>
 * </ul>
 */
public final class TwilioOutbound implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TwilioOutbound.class);

  public static final String DEFAULT_API_BASE = "https://api.twilio.com";

  private static final Pattern E164 = org.sathi.privacy.CallerKey.E164;
  private static final Pattern MESSAGING_SERVICE_SID = Pattern.compile("MG[0-9a-fA-F]{32}");
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final Pattern CONTENT_SID = Pattern.compile("HX[0-9a-fA-F]{32}");
  private static final long BACKOFF_BASE_MILLIS = 200;
  private static final long BACKOFF_MAX_MILLIS = 2_000;
  private static final long RETRY_AFTER_MAX_MILLIS = 5_000;
  private static final long MIN_CONNECT_TIMEOUT_MILLIS = 1_000;

  private final String accountSid;
  private final String sender;
  private final boolean viaMessagingService;
  private final Vertx vertx;
  private final long timeoutMillis;
  private final int maxAttempts;
  private final RebasingHttpClient http;
  private final TwilioRestClient rest;
  private final ExecutorService blocking;
  private volatile Runnable blockingCallProbe = () -> { };

  /**
   * @param accountSid   Twilio account SID ({@code AC...}); also the Basic-auth user name
   * @param authToken    Twilio auth token; the Basic-auth password
   * @param apiBase      base URL that replaces {@code https://api.twilio.com}, e.g.
   *                     {@code http://127.0.0.1:8089}; null or blank means Twilio itself. A path, if
   *                     any, is put in front of Twilio's path.
   * @param from         the sender: an E.164 number or alphanumeric sender ID, or {@code whatsapp:+E164} for WhatsApp (sent as {@code From}),
   *                     or a Messaging Service SID {@code MG} + 32 hex digits (sent as
   *                     {@code MessagingServiceSid})
   * @param vertx        the Vert.x instance whose context the returned futures complete on
   * @param timeout      deadline for one {@link #sendSms} call, retries and backoff included
   * @param maxAttempts  attempts in all (1 means no retry)
   */
  public TwilioOutbound(String accountSid, String authToken, String apiBase, String from, Vertx vertx,
      Duration timeout, int maxAttempts) {
    this.accountSid = requireText(accountSid, "accountSid");
    if (!ACCOUNT_SID.matcher(accountSid).matches()) {
      throw new IllegalArgumentException("accountSid must be AC followed by 32 hex digits");
    }
    requireText(authToken, "authToken");
    this.sender = requireText(from, "from");
    this.viaMessagingService = MESSAGING_SERVICE_SID.matcher(from).matches();
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    this.timeoutMillis = timeout.toMillis();
    this.maxAttempts = maxAttempts;
    URI base = parseBase(apiBase == null || apiBase.isBlank() ? DEFAULT_API_BASE : apiBase.strip());
    this.http = new RebasingHttpClient(base, timeoutMillis);
    this.rest = new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid).httpClient(http).build();
    this.blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sathi-twilio-", 0).factory());
  }

  /**
   * Sends one SMS. The future completes, on the caller's Vert.x context (or a new one if called
   * outside Vert.x), with Twilio's Message SID ({@code SM...}), or fails with a {@link SendException}.
   */
  public Future<String> sendSms(String toE164, String body) {
    if (toE164 == null || !E164.matcher(toE164).matches()) {
      return Future.failedFuture(new SendException("Twilio SMS not sent: destination is not an E.164 number", 0, 0, 0));
    }
    return submit(new Draft("Twilio SMS", toE164, body, null));
  }

  /**
   * Sends one WhatsApp message, from this client's sender ({@code whatsapp:+E164}) to a WhatsApp
   * address ({@code whatsapp:+E164} or {@code whatsapp:<user id>}): {@code body}, or when
   * {@code contentSid} is given instead, that approved template ({@code ContentSid}, no {@code Body}).
   */
  public Future<String> sendWhatsApp(String to, String body, String contentSid) {
    if (org.sathi.channel.whatsapp.WhatsAppAddress.parse(to).isEmpty()) {
      return Future.failedFuture(new SendException("Twilio WhatsApp message not sent: destination is not a WhatsApp address", 0, 0, 0));
    }
    if (contentSid != null && (body != null || !CONTENT_SID.matcher(contentSid).matches())) {
      return Future.failedFuture(new SendException("Twilio WhatsApp message not sent: a template is a Content SID (HX...) and no body", 0, 0, 0));
    }
    return submit(new Draft("Twilio WhatsApp message", to, body, contentSid));
  }

  /**
   * Places one call from this client's sender (the hotline's number, which the person called sees) to
   * {@code toE164}; when it is answered, Twilio asks {@code twimlUrl} (POST) what to do. The SDK's
   * {@code Call.creator(...).create(client)}, with the same deadline and retries as an SMS. Completes
   * with Twilio's Call SID ({@code CA...}).
   */
  public Future<String> placeCall(String toE164, String twimlUrl) {
    if (toE164 == null || !E164.matcher(toE164).matches()) {
      return Future.failedFuture(new SendException("Twilio call not placed: destination is not an E.164 number", 0, 0, 0));
    }
    if (!E164.matcher(sender).matches()) {
      return Future.failedFuture(new SendException("Twilio call not placed: the sender is not a phone number (set TWILIO_FROM)", 0, 0, 0));
    }
    URI url;
    try {
      url = new URI(twimlUrl);
    } catch (URISyntaxException | NullPointerException e) {
      return Future.failedFuture(new SendException("Twilio call not placed: the TwiML URL is not a URL", 0, 0, 0));
    }
    return submit(new Draft("Twilio call", toE164, null, null, url));
  }

  /** One message to send: {@code kind} names it in failures and logs; {@code body} or {@code contentSid}; or a call's TwiML URL. */
  private record Draft(String kind, String to, String body, String contentSid, URI call) {
    Draft(String kind, String to, String body, String contentSid) {
      this(kind, to, body, contentSid, null);
    }
  }

  private Future<String> submit(Draft draft) {
    Context context = vertx.getOrCreateContext();
    if (draft.call() == null && draft.contentSid() == null && (draft.body() == null || draft.body().isEmpty())) {
      return Future.failedFuture(new SendException(draft.kind() + " not sent: empty body", 0, 0, 0));
    }
    Promise<String> promise = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      blocking.execute(() -> {
        String sid;
        try {
          sid = sendBlocking(draft, deadline);
        } catch (SendException e) {
          context.runOnContext(v -> promise.fail(e));
          return;
        } catch (Throwable t) {
          // Never t's message: it could quote the request.
          SendException e = new SendException(draft.kind() + " send failed: " + t.getClass().getSimpleName(), 0, 0, 0);
          log.error("{} send failed unexpectedly: {}", draft.kind(), t.getClass().getName());
          context.runOnContext(v -> promise.fail(e));
          return;
        }
        context.runOnContext(v -> promise.complete(sid));
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(new SendException(draft.kind() + " not sent: the outbound client is closed", 0, 0, 0));
    }
    return promise.future();
  }

  /** Stops accepting sends and closes the connection pool. */
  @Override
  public void close() {
    blocking.shutdown();
    try {
      blocking.awaitTermination(timeoutMillis + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }

  /** Test hook: runs on the thread that makes the blocking SDK call, just before each attempt. */
  void onBlockingCall(Runnable probe) {
    this.blockingCallProbe = Objects.requireNonNull(probe);
  }

  private String sendBlocking(Draft draft, long deadline) {
    for (int attempt = 1; ; attempt++) {
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMillis <= 0) {
        throw new SendException(draft.kind() + " send failed: timed out after " + timeoutMillis + " ms, "
            + (attempt - 1) + " attempt(s)", 0, 0, attempt - 1);
      }
      Failure failure = attemptOnce(draft, remainingMillis);
      if (failure.sid != null) {
        if (attempt > 1) log.info("{} sent on attempt {}/{}", draft.kind(), attempt, maxAttempts);
        return failure.sid;
      }
      long backoff = backoffMillis(attempt, failure.retryAfterMillis);
      long leftAfterBackoff = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - backoff;
      boolean retry = failure.retryable && attempt < maxAttempts && leftAfterBackoff > 0;
      String why = retry ? "retrying in " + backoff + " ms"
          : !failure.retryable ? "not retried" : attempt >= maxAttempts ? "giving up" : "giving up, no time left";
      log.warn("{} attempt {}/{} failed: {}; {}", draft.kind(), attempt, maxAttempts, failure.what, why);
      if (!retry) {
        throw new SendException(draft.kind() + " send failed: " + failure.what + " after " + attempt + " attempt(s); " + why,
            failure.status, failure.twilioCode, attempt);
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SendException(draft.kind() + " send failed: interrupted after " + attempt + " attempt(s)",
            failure.status, failure.twilioCode, attempt);
      }
    }
  }

  private Failure attemptOnce(Draft draft, long remainingMillis) {
    if (draft.call() != null) {
      return attempt(draft, remainingMillis, () -> com.twilio.rest.api.v2010.account.Call.creator(accountSid, new PhoneNumber(draft.to()),
          new PhoneNumber(sender), draft.call()).setMethod(com.twilio.http.HttpMethod.POST).create(rest).getSid(), "Call");
    }
    MessageCreator creator = viaMessagingService
        ? Message.creator(accountSid, new PhoneNumber(draft.to()), sender, draft.body())
        : Message.creator(accountSid, new PhoneNumber(draft.to()), new PhoneNumber(sender), draft.body());
    if (draft.contentSid() != null) creator.setContentSid(draft.contentSid());
    return attempt(draft, remainingMillis, () -> creator.create(rest).getSid(), "Message");
  }

  /** One attempt of the SDK's request, {@code create}, which answers with the new resource's SID ({@code what} names it). */
  private Failure attempt(Draft draft, long remainingMillis, java.util.function.Supplier<String> create, String resource) {
    AttemptState state = new AttemptState(remainingMillis);
    CURRENT.set(state);
    try {
      blockingCallProbe.run();
      String sid = create.get();
      if (sid == null || sid.isBlank()) {
        return Failure.permanent("HTTP " + state.status + ", response without a " + resource + " SID", state.status, 0);
      }
      return Failure.sent(sid);
    } catch (ApiException e) {
      int status = state.status != 0 ? state.status : e.getStatusCode() == null ? 0 : e.getStatusCode();
      int code = e.getCode() == null ? 0 : e.getCode();
      IOException io = ioCause(e);
      if (status == 0 && io != null) {
        return Failure.retryable(describe(io), 0, 0, -1);
      }
      if (status == 0) {
        return Failure.permanent("no HTTP response (" + e.getClass().getSimpleName() + ")", 0, code);
      }
      String what = "HTTP " + status + (code != 0 ? " (Twilio error " + code + ")" : "");
      if (status >= 200 && status < 300) {
        // Twilio accepted the message but the answer could not be read: resending would send it twice.
        return Failure.permanent(what + ", unreadable response", status, code);
      }
      if (status == 429 || status >= 500) return Failure.retryable(what, status, code, state.retryAfterMillis);
      return Failure.permanent(what, status, code);
    } catch (RuntimeException e) {
      IOException io = ioCause(e);
      if (io != null && state.status == 0) return Failure.retryable(describe(io), 0, 0, -1);
      return Failure.permanent((state.status != 0 ? "HTTP " + state.status + ", " : "") + e.getClass().getSimpleName(),
          state.status, 0);
    } finally {
      CURRENT.remove();
    }
  }

  private static IOException ioCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof IOException io) return io;
    }
    return null;
  }

  /** Names the kind of I/O failure by its type, never by the exception's message. */
  private static String describe(IOException io) {
    if (io instanceof InterruptedIOException) return "I/O error: timed out (" + io.getClass().getSimpleName() + ")";
    if (io instanceof ConnectException) return "I/O error: connection refused (" + io.getClass().getSimpleName() + ")";
    if (io instanceof UnknownHostException) return "I/O error: unknown host";
    return "I/O error (" + io.getClass().getSimpleName() + ")";
  }

  private static long backoffMillis(int attempt, long retryAfterMillis) {
    if (retryAfterMillis >= 0) return Math.min(retryAfterMillis, RETRY_AFTER_MAX_MILLIS);
    long exp = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempt - 1, 10));
    return exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1);
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " is required");
    return value;
  }

  private static URI parseBase(String apiBase) {
    try {
      URI uri = new URI(apiBase);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("TWILIO_API_BASE must be an http(s) URL with a host");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("TWILIO_API_BASE must not have a query or fragment");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("TWILIO_API_BASE is not a valid URL");
    }
  }

  /** Thrown (as a failed future) when an SMS could not be sent. Its message never holds a number or a body. */
  public static final class SendException extends org.sathi.channel.SmsSender.SendFailed {
    private static final long serialVersionUID = 1L;
    private final int httpStatus;
    private final int twilioErrorCode;
    private final int attempts;

    public SendException(String message, int httpStatus, int twilioErrorCode, int attempts) {
      super(message);
      this.httpStatus = httpStatus;
      this.twilioErrorCode = twilioErrorCode;
      this.attempts = attempts;
    }

    /** HTTP status of the last attempt; 0 when there was no HTTP response (I/O error, timeout, not sent). */
    public int httpStatus() {
      return httpStatus;
    }

    /** Twilio's numeric error code (e.g. 21211) from the last response; 0 when none. */
    public int twilioErrorCode() {
      return twilioErrorCode;
    }

    /** HTTP attempts made. */
    public int attempts() {
      return attempts;
    }
  }

  private record Failure(String sid, String what, boolean retryable, int status, int twilioCode, long retryAfterMillis) {
    static Failure sent(String sid) {
      return new Failure(sid, null, false, 0, 0, -1);
    }

    static Failure retryable(String what, int status, int code, long retryAfterMillis) {
      return new Failure(null, what, true, status, code, retryAfterMillis);
    }

    static Failure permanent(String what, int status, int code) {
      return new Failure(null, what, false, status, code, -1);
    }
  }

  /** Per-attempt state shared, on the attempt's own thread, with the HTTP client below. */
  private static final class AttemptState {
    final long remainingMillis;
    int status;
    long retryAfterMillis = -1;

    AttemptState(long remainingMillis) {
      this.remainingMillis = remainingMillis;
    }
  }

  private static final ThreadLocal<AttemptState> CURRENT = new ThreadLocal<>();

  /**
   * The SDK's {@link NetworkHttpClient} with three changes: every request URL's scheme, host and port
   * (https://api.twilio.com) are replaced by the configured base URL; the SDK's built-in retry loop
   * ({@link HttpClient#reliableRequest}) is a single attempt, since {@link TwilioOutbound} retries;
   * and connect/response timeouts come from the current attempt's deadline. (NetworkHttpClient
   * stamps every request with the static {@code HttpClient.DEFAULT_REQUEST_CONFIG}, 30.5 s connect
   * and no response timeout, which would beat any default config given to the builder; an exec
   * interceptor in front of the connect step replaces it.)
   */
  private static final class RebasingHttpClient extends NetworkHttpClient {
    private final URI base;

    RebasingHttpClient(URI base, long timeoutMillis) {
      super(builder(timeoutMillis));
      this.base = base;
    }

    private static HttpClientBuilder builder(long timeoutMillis) {
      Timeout timeout = Timeout.ofMilliseconds(timeoutMillis);
      PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
          .setDefaultConnectionConfig(ConnectionConfig.custom()
              .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis(timeoutMillis)))
              .setSocketTimeout(timeout)
              .build())
          .setMaxConnPerRoute(20)
          .setMaxConnTotal(40)
          .build();
      return HttpClientBuilder.create()
          .useSystemProperties()
          .setConnectionManager(pool)
          .disableAutomaticRetries()
          .setDefaultRequestConfig(requestConfig(timeoutMillis))
          .addExecInterceptorBefore(ChainElement.CONNECT.name(), "sathi-attempt-timeouts", (request, scope, chain) -> {
            AttemptState state = CURRENT.get();
            long millis = state != null ? Math.max(1, state.remainingMillis) : timeoutMillis;
            scope.clientContext.setRequestConfig(requestConfig(millis));
            return chain.proceed(request, scope);
          });
    }

    private static long connectTimeoutMillis(long remainingMillis) {
      return Math.min(remainingMillis, Math.max(MIN_CONNECT_TIMEOUT_MILLIS, remainingMillis / 3));
    }

    @SuppressWarnings("deprecation") // a per-request connect timeout is still honoured, and is the only per-attempt one
    private static RequestConfig requestConfig(long remainingMillis) {
      Timeout remaining = Timeout.ofMilliseconds(remainingMillis);
      return RequestConfig.custom()
          .setConnectionRequestTimeout(remaining)
          .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis(remainingMillis)))
          .setResponseTimeout(remaining)
          .build();
    }

    @Override
    public Response reliableRequest(Request request) {
      return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
      return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
      Response response = super.makeRequest(new RebasedRequest(request, base));
      AttemptState state = CURRENT.get();
      if (state != null && response != null) {
        state.status = response.getStatusCode();
        state.retryAfterMillis = retryAfterMillis(response.getHeaders());
      }
      return response;
    }

    void close() {
      client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
    }

    private static long retryAfterMillis(Header[] headers) {
      if (headers == null) return -1;
      for (Header h : headers) {
        if ("Retry-After".equalsIgnoreCase(h.getName()) && h.getValue() != null) {
          try {
            long seconds = Long.parseLong(h.getValue().strip());
            return seconds < 0 ? -1 : TimeUnit.SECONDS.toMillis(seconds);
          } catch (NumberFormatException e) {
            return -1; // an HTTP date: fall back to our own backoff
          }
        }
      }
      return -1;
    }
  }

  /**
   * A copy of the SDK's request whose URL has the base URL's scheme, host and port (and path prefix).
   * The SDK's own URL building (region/edge host rewriting, path encoding, query string) runs on the
   * original request first; only the result is moved. Overriding {@code constructURL} is needed
   * because the SDK's host rewriting would mangle a host such as {@code twilio-mock.local}.
   */
  private static final class RebasedRequest extends Request {
    private final URL url;

    RebasedRequest(Request original, URI base) {
      super(original.getMethod(), original.getUrl());
      this.url = rebase(original.constructURL(), base);
      copy(original.getPostParams(), this::addPostParam);
      copy(original.getHeaderParams(), this::addHeaderParam);
      copy(original.getQueryParams(), this::addQueryParam);
      if (!original.getFormParameters().isEmpty()) setFormParameters(original.getFormParameters());
      setContentType(original.getContentType());
      setBody(original.getBody());
      setUserAgentExtensions(original.getUserAgentExtensions());
      if (original.getAuthStrategy() != null) {
        setAuth(original.getAuthStrategy());
      } else if (original.getUsername() != null) {
        setAuth(original.getUsername(), original.getPassword());
      }
    }

    private static void copy(Map<String, List<String>> from, java.util.function.BiConsumer<String, String> to) {
      from.forEach((name, values) -> values.forEach(value -> to.accept(name, value)));
    }

    private static URL rebase(URL twilioUrl, URI base) {
      String prefix = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
      StringBuilder s = new StringBuilder()
          .append(base.getScheme()).append("://").append(base.getRawAuthority())
          .append(prefix).append(twilioUrl.getPath());
      if (twilioUrl.getQuery() != null) s.append('?').append(twilioUrl.getQuery());
      try {
        return new URI(s.toString()).toURL();
      } catch (URISyntaxException | MalformedURLException e) {
        throw new ApiException("Bad rebased Twilio URL");
      }
    }

    @Override
    public URL constructURL() {
      return url;
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
