package org.sathi.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shared Lettuce connection every Redis store uses, bridged onto the Vert.x context.
 *
 * <p>Lettuce's defaults (60 s timeout, unbounded queue while disconnected) would make a caller wait
 * on a dead Redis; here a command fails after {@code commandTimeout} and at once while disconnected.
 * The first connect is retried every second; after that Lettuce reconnects by itself, and a
 * connection that only times out is dropped and made again.
 */
public final class RedisConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);

  /** Settings from config/sathi.yaml `redis:`. */
  public record Settings(String url, Duration commandTimeout, int requestQueueSize) {}

  private final Vertx vertx;
  private final RedisClient client;
  private final RedisURI uri;
  private final MeterRegistry metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile StatefulRedisConnection<String, String> connection;
  public static final int TIMEOUTS_BEFORE_RECONNECT = 5;
  private final java.util.concurrent.atomic.AtomicInteger consecutiveTimeouts = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean reportedDown;
  /** Redis's clock minus ours, in ms, measured at each connect: commit deadlines are checked on Redis's clock. */
  private volatile long clockOffsetMillis;

  public RedisConnection(Vertx vertx, Settings settings, MeterRegistry metrics) {
    this.vertx = vertx;
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
        if (RedisConnection.this.connection != null) LOG.info("Reconnected to Redis at {}.", where());
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
          for (Script script : scripts) c.async().scriptLoad(script.lua());
          LOG.info("Connected to Redis at {}.", where());
          return null;
        });
  }

  /** Where Redis is, for log lines: host and port, or the Sentinel master's name. Never a password. */
  public String where() {
    return uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort() : "sentinel master " + uri.getSentinelMasterId();
  }

  public Future<Void> ping() {
    return call(c -> c.async().ping()).mapEmpty();
  }

  /**
   * Subscribes to a pub/sub channel on a connection of its own (a subscribed connection takes no
   * other commands). Messages arrive on Lettuce's I/O thread: the listener hands them on. Lettuce
   * reconnects and subscribes again by itself; a first connection that fails is retried every second.
   */
  public void subscribe(String channel, java.util.function.Consumer<String> onMessage) {
    client.connectPubSubAsync(StringCodec.UTF8, uri).whenComplete((c, err) -> {
      if (err != null) {
        if (!closed.get()) vertx.setTimer(1000, t -> subscribe(channel, onMessage));
        return;
      }
      if (closed.get()) {
        c.closeAsync();
        return;
      }
      c.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<String, String>() {
        @Override
        public void message(String from, String message) {
          if (channel.equals(from)) onMessage.accept(message);
        }
      });
      c.async().subscribe(channel);
      pubSub.add(c);
    });
  }

  private final java.util.List<io.lettuce.core.pubsub.StatefulRedisPubSubConnection<String, String>> pubSub =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public Future<Void> close() {
    closed.set(true);
    pubSub.forEach(io.lettuce.core.pubsub.StatefulRedisPubSubConnection::closeAsync);
    StatefulRedisConnection<String, String> c = connection;
    CompletionStage<Void> closing = c == null ? client.shutdownAsync() : c.closeAsync().thenCompose(v -> client.shutdownAsync());
    return Future.fromCompletionStage(closing, vertx.getOrCreateContext());
  }

  /**
   * Runs one command (one round trip) on the shared connection and brings its result back on the
   * caller's Vert.x context. Fails fast with {@link StoreUnavailable} while disconnected.
   */
  public <T> Future<T> call(java.util.function.Function<StatefulRedisConnection<String, String>, CompletionStage<T>> command) {
    return call("other", command);
  }

  /**
   * The same, counted under {@code caller} in {@code sathi_redis_calls_total}: each call is one
   * command, one round trip, so the count per webhook turn is what a turn costs.
   */
  public <T> Future<T> call(String caller, java.util.function.Function<StatefulRedisConnection<String, String>, CompletionStage<T>> command) {
    metrics.counter("sathi.redis.calls", "caller", caller).increment();
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
        .recover(failure -> {
          // A failure relayed through a composed stage (EVALSHA, then EVAL) arrives wrapped.
          Throwable err = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
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

  /** A Lua script, sent once per connection (SCRIPT LOAD) and then run by its SHA-1. */
  public record Script(String lua, String sha) {}

  private final java.util.List<Script> scripts = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Registers a script: loaded now and at every (re)connect, so a turn sends its SHA-1 rather than its text. */
  public Script script(String lua) {
    Script script = new Script(lua, io.lettuce.core.codec.Base16.digest(lua.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    scripts.add(script);
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) c.async().scriptLoad(lua);
    return script;
  }

  /**
   * Runs a registered script as one command (EVALSHA). Only when Redis has lost it (a restart the
   * connection did not see) is it sent whole, once (EVAL loads it again).
   */
  public <T> Future<T> eval(String caller, Script script, io.lettuce.core.ScriptOutputType type, String[] keys, String... args) {
    return call(caller, c -> c.async().<T>evalsha(script.sha(), type, keys, args).toCompletableFuture()
        .exceptionallyCompose(err -> noScript(err)
            ? c.async().<T>eval(script.lua(), type, keys, args)
            : java.util.concurrent.CompletableFuture.failedStage(err)));
  }

  private static boolean noScript(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.lettuce.core.RedisNoScriptException) return true;
    }
    return false;
  }

  /** Redis's clock minus ours, in ms, measured at the last connect. */
  public long clockOffsetMillis() {
    return clockOffsetMillis;
  }

  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

}
