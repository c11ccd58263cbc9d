package org.sathi.session;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sathi.flow.Conversation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations in Redis through one shared Lettuce connection. Each call is one Lua script, so a
 * turn is two round trips and a commit is all or nothing. Keys share the caller's hash tag:
 * {@code sathi:{key}:conv} (a hash: version and sealed conversation), {@code :seen} (language, for
 * "welcome back"), {@code :replies} (webhook id -> reply), {@code :reach} (the sealed number, for the
 * reply window). Reports and hand-offs go to the stream {@code sathi:events}.
 *
 * <p>A commit is refused, and changes nothing, when another turn of the caller committed since the
 * load (the host runs the turn again) or when its deadline has passed on Redis's clock (the caller
 * was already told to text again, so a late write would move them on behind their back).
 *
 * <p>Lettuce's defaults (60 s timeout, unbounded queue while disconnected) would make a caller wait
 * on a dead Redis; here a command fails after {@code commandTimeout} and at once while disconnected.
 */
public final class RedisSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

  public static final String EVENTS_STREAM = "sathi:events";

  static final String LOAD = """
      local reply = redis.call('HGET', KEYS[1], ARGV[1])
      if reply then return {reply} end
      local conv = redis.call('HMGET', KEYS[2], 'v', 'c')
      return {'', conv[1] or '0', conv[2] or '', redis.call('GET', KEYS[3]) or ''}
      """;

  /**
   * KEYS: replies, conversation, seen, reach, events. ARGV: webhook id, reply, dedup ms, expected
   * version, deadline (Redis clock, ms), sealed conversation ('' wipes), conversation ms, language,
   * seen ms, sealed number ('' none), reply-window ms, events...
   */
  static final String COMMIT = """
      local previous = redis.call('HGET', KEYS[1], ARGV[1])
      if previous then return {'duplicate', previous} end
      local t = redis.call('TIME')
      if t[1] * 1000 + math.floor(t[2] / 1000) > tonumber(ARGV[5]) then return {'late', ''} end
      local version = tonumber(redis.call('HGET', KEYS[2], 'v') or '0')
      if version ~= tonumber(ARGV[4]) then return {'conflict', ''} end
      if ARGV[6] == '' then
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
      else
        redis.call('HSET', KEYS[2], 'v', version + 1, 'c', ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        redis.call('SET', KEYS[3], ARGV[8], 'PX', ARGV[9])
        if ARGV[10] ~= '' then redis.call('SET', KEYS[4], ARGV[10], 'PX', ARGV[11]) end
      end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      for i = 12, #ARGV do
        redis.call('XADD', KEYS[5], '*', 'event', ARGV[i])
      end
      return {'saved', ARGV[2]}
      """;

  /** Settings from config/sathi.yaml `redis:`. */
  public record Settings(String url, Duration commandTimeout, int requestQueueSize) {}

  private final Vertx vertx;
  private final RedisClient client;
  private final RedisURI uri;
  private final SessionTimes times;
  private final ConversationCodec codec;
  private final MeterRegistry metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile StatefulRedisConnection<String, String> connection;
  public static final int TIMEOUTS_BEFORE_RECONNECT = 5;
  private final java.util.concurrent.atomic.AtomicInteger consecutiveTimeouts = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean reportedDown;
  /** Redis's clock minus ours, in ms, measured at each connect: commit deadlines are checked on Redis's clock. */
  private volatile long clockOffsetMillis;

  public RedisSessionStore(Vertx vertx, Settings settings, SessionTimes times, ConversationCodec codec, MeterRegistry metrics) {
    this.vertx = vertx;
    this.times = times;
    this.codec = codec;
    this.metrics = metrics;
    this.uri = RedisURI.create(settings.url());
    this.uri.setTimeout(settings.commandTimeout());
    this.client = RedisClient.create();
    client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
        if (!closed.get()) {
          LOG.warn("Lost the connection to Redis at {}; reconnecting. Webhooks answer with the polite fallback until it is back.", where());
        }
      }

      @Override
      public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
        if (RedisSessionStore.this.connection != null) LOG.info("Reconnected to Redis at {}.", where());
      }
    });
    // Every command is one round trip on the wire; counting them shows what a turn costs.
    client.addListener(new io.lettuce.core.event.command.CommandListener() {
      @Override
      public void commandStarted(io.lettuce.core.event.command.CommandStartedEvent event) {
        metrics.counter("sathi.redis.commands").increment();
      }
    });
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(settings.requestQueueSize())
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true).build())
        .build());
  }

  /** Connects in the background; until connected, every call fails fast. Returns the first attempt. */
  public Future<Void> start() {
    return Future.fromCompletionStage(connect(), vertx.getOrCreateContext()).mapEmpty();
  }

  private CompletionStage<Void> connect() {
    return client.connectAsync(StringCodec.UTF8, uri)
        .thenCompose(c -> {
          long before = System.currentTimeMillis();
          return c.async().time().handle((time, err) -> {
            if (err != null) {
              c.closeAsync();
              throw new java.util.concurrent.CompletionException(err);
            }
            long after = System.currentTimeMillis();
            long redisMillis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
            clockOffsetMillis = redisMillis - (before + after) / 2;
            return c;
          });
        })
        .handle((c, err) -> {
          if (err != null) {
            if (!reportedDown) {
              LOG.warn("Redis at {} is unreachable ({}); retrying every second. Webhooks answer with the polite fallback until it is back.",
                  where(), rootMessage(err));
              reportedDown = true;
            }
            if (!closed.get()) vertx.setTimer(1000, t -> connect());
            return null;
          }
          if (closed.get()) {
            c.closeAsync();
            return null;
          }
          connection = c;
          reportedDown = false;
          LOG.info("Connected to Redis at {}.", where());
          return null;
        });
  }

  private String where() {
    return uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort() : "sentinel master " + uri.getSentinelMasterId();
  }

  @Override
  public Future<Loaded> load(String callerKey, String webhookId) {
    return call(c -> c.async().<List<Object>>eval(LOAD, ScriptOutputType.MULTI,
        new String[] {replies(callerKey), conversation(callerKey), seen(callerKey)}, webhookId))
        .map(r -> {
          if (r.size() == 1) return new Loaded((String) r.get(0), null, 0, null);
          long version = Long.parseLong((String) r.get(1));
          String lang = (String) r.get(3);
          return new Loaded(null, codec.decode((String) r.get(2), callerKey), version, lang.isEmpty() ? null : lang);
        });
  }

  @Override
  public Future<Committed> commit(Commit commit) {
    String key = commit.callerKey();
    Conversation next = commit.next();
    List<String> args = new ArrayList<>(List.of(
        commit.webhookId(),
        commit.reply(),
        String.valueOf(times.dedup().toMillis()),
        String.valueOf(commit.version()),
        String.valueOf(commit.deadline().toEpochMilli() + clockOffsetMillis),
        next == null ? "" : codec.encode(next, key),
        String.valueOf(times.conversation().toMillis()),
        next == null ? "" : next.language(),
        String.valueOf(times.returning().toMillis()),
        commit.reach() == null ? "" : commit.reach(),
        String.valueOf(times.replyWindow().toMillis())));
    args.addAll(commit.events());
    return call(c -> c.async().<List<Object>>eval(COMMIT, ScriptOutputType.MULTI,
        new String[] {replies(key), conversation(key), seen(key), reach(key), EVENTS_STREAM}, args.toArray(String[]::new)))
        .map(r -> {
          Status status = Status.valueOf(((String) r.get(0)).toUpperCase(java.util.Locale.ROOT));
          String reply = (String) r.get(1);
          return new Committed(status, reply.isEmpty() ? null : reply);
        });
  }

  @Override
  public Future<Void> ping() {
    return call(c -> c.async().ping()).mapEmpty();
  }

  /** The connection, for tests and for later stores that share it. */
  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  @Override
  public Future<Void> close() {
    closed.set(true);
    StatefulRedisConnection<String, String> c = connection;
    CompletionStage<Void> closing = c == null ? client.shutdownAsync() : c.closeAsync().thenCompose(v -> client.shutdownAsync());
    return Future.fromCompletionStage(closing, vertx.getOrCreateContext());
  }

  private <T> Future<T> call(java.util.function.Function<StatefulRedisConnection<String, String>, CompletionStage<T>> command) {
    Context context = vertx.getOrCreateContext();
    StatefulRedisConnection<String, String> c = connection;
    if (c == null) {
      count("unavailable");
      return Future.failedFuture(new StoreUnavailable("Redis is not connected"));
    }
    CompletionStage<T> stage;
    try {
      stage = command.apply(c);
    } catch (RuntimeException e) {
      count("unavailable");
      return Future.failedFuture(new StoreUnavailable(rootMessage(e)));
    }
    return Future.fromCompletionStage(stage, context)
        .onSuccess(r -> consecutiveTimeouts.set(0))
        .recover(err -> {
          boolean timeout = err instanceof RedisCommandTimeoutException;
          count(timeout ? "timeout" : "error");
          if (timeout) reconnectIfDead(c);
          return Future.failedFuture(new StoreUnavailable(rootMessage(err)));
        });
  }

  /**
   * A Redis that vanished without closing the socket (a host gone, a failover behind a load balancer)
   * leaves a connection that only times out; TCP may take minutes to notice. After
   * {@link #TIMEOUTS_BEFORE_RECONNECT} timeouts in a row, drop the connection and connect afresh.
   */
  private synchronized void reconnectIfDead(StatefulRedisConnection<String, String> c) {
    if (consecutiveTimeouts.incrementAndGet() < TIMEOUTS_BEFORE_RECONNECT || closed.get()) return;
    if (connection != c) return; // another caller already replaced it
    connection = null;
    consecutiveTimeouts.set(0);
    LOG.warn("Redis at {} did not answer {} commands in a row; dropping the connection and connecting again.", where(), TIMEOUTS_BEFORE_RECONNECT);
    c.closeAsync();
    connect();
  }

  private void count(String kind) {
    metrics.counter("sathi.redis.errors", "kind", kind).increment();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  static String conversation(String key) {
    return "sathi:{" + key + "}:conv";
  }

  static String seen(String key) {
    return "sathi:{" + key + "}:seen";
  }

  static String reach(String key) {
    return "sathi:{" + key + "}:reach";
  }

  static String replies(String key) {
    return "sathi:{" + key + "}:replies";
  }
}
