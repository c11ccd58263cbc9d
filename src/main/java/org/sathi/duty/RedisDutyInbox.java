package org.sathi.duty;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sathi.redis.RedisConnection;
import org.sathi.session.RedisSessionStore;

/**
 * The inbox on the Redis stream {@code sathi:events}, consumer group {@code duty}; dead letters in {@code sathi:events:dead}.
 * A channel's outbox ({@link #outbox}) is the same durable queue on its own stream.
 */
public final class RedisDutyInbox implements DutyInbox {
  public static final String STREAM = RedisSessionStore.EVENTS_STREAM;
  public static final String GROUP = "duty";
  public static final String DEAD = "sathi:events:dead";

  /** XAUTOCLAIM, then each claimed entry's delivery count, in one round trip. */
  static final String RECLAIM = """
      local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
      local out = {}
      for _, m in ipairs(claimed[2]) do
        local id, fields = m[1], m[2]
        local event = ''
        for i = 1, #fields, 2 do if fields[i] == 'event' then event = fields[i + 1] end end
        local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
        table.insert(out, id)
        table.insert(out, event)
        table.insert(out, tostring(p[1][4]))
      end
      return out
      """;

  static final String DEAD_LETTER = """
      redis.call('XADD', KEYS[2], '*', 'event', ARGV[2], 'id', ARGV[1], 'reason', ARGV[3], 'deliveries', ARGV[4])
      redis.call('XACK', KEYS[1], ARGV[5], ARGV[1])
      redis.call('XDEL', KEYS[1], ARGV[1])
      return 1
      """;

  private final RedisConnection redis;
  private final String stream;
  private final String group;
  private final String dead;

  public RedisDutyInbox(RedisConnection redis) {
    this(redis, STREAM, GROUP, DEAD);
  }

  private RedisDutyInbox(RedisConnection redis, String stream, String group, String dead) {
    this.redis = redis;
    this.stream = stream;
    this.group = group;
    this.dead = dead;
  }

  /** The outbox of a channel that sends its replies after the turn: stream {@code sathi:outbox:<name>}, group {@code send}. */
  public static RedisDutyInbox outbox(RedisConnection redis, String channel) {
    String stream = org.sathi.session.SessionStore.outbox(channel);
    return new RedisDutyInbox(redis, stream, "send", stream + ":dead");
  }

  @Override
  public Future<Void> prepare() {
    return redis.<String>call("inbox", c -> c.async().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), group, XGroupCreateArgs.Builder.mkstream()))
        .<Void>mapEmpty()
        .recover(err -> err.getMessage() != null && err.getMessage().contains("BUSYGROUP") ? Future.succeededFuture() : Future.failedFuture(err));
  }

  @Override
  public Future<List<Delivery>> next(String consumer, int max) {
    return redis.<List<io.lettuce.core.StreamMessage<String, String>>>call(c -> c.async().xreadgroup(Consumer.from(group, consumer),
            XReadArgs.Builder.count(max), XReadArgs.StreamOffset.lastConsumed(stream)))
        .map(messages -> messages.stream().map(m -> new Delivery(m.getId(), m.getBody().getOrDefault("event", ""), 1)).toList());
  }

  @Override
  public Future<List<Delivery>> reclaim(String consumer, Duration idle, int max) {
    return redis.<List<Object>>call("inbox", c -> c.async().eval(RECLAIM, ScriptOutputType.MULTI, new String[] {stream},
            group, consumer, String.valueOf(idle.toMillis()), String.valueOf(max)))
        .map(flat -> {
          List<Delivery> out = new ArrayList<>();
          for (int i = 0; i + 2 < flat.size(); i += 3) {
            out.add(new Delivery((String) flat.get(i), (String) flat.get(i + 1), Long.parseLong((String) flat.get(i + 2))));
          }
          return out;
        });
  }

  /** Acknowledged and deleted: once filed, the report lives in the report store, and only there (retention erases it). */
  static final String DONE = """
      redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
      redis.call('XDEL', KEYS[1], ARGV[2])
      return 1
      """;

  @Override
  public Future<Void> done(String id) {
    return redis.<Long>call("inbox", c -> c.async().eval(DONE, ScriptOutputType.INTEGER, new String[] {stream}, group, id)).mapEmpty();
  }

  static final String FORGET_IDLE_CONSUMERS = """
      local removed = 0
      for _, c in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
        local info = {}
        for i = 1, #c, 2 do info[c[i]] = c[i + 1] end
        if info['name'] ~= ARGV[3] and info['pending'] == 0 and info['idle'] > tonumber(ARGV[2]) then
          redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
          removed = removed + 1
        end
      end
      return removed
      """;

  @Override
  public Future<Void> forgetIdleConsumers(String self, Duration idle) {
    return redis.<Long>call("inbox", c -> c.async().eval(FORGET_IDLE_CONSUMERS, ScriptOutputType.INTEGER, new String[] {stream},
        group, String.valueOf(idle.toMillis()), self)).mapEmpty();
  }

  @Override
  public Future<Void> forgetDeadLettersBefore(java.time.Instant cutoff) {
    // Stream ids begin with their time in ms: MINID drops every entry older than the cutoff.
    return redis.<Long>call("inbox", c -> c.async().xtrim(dead, io.lettuce.core.XTrimArgs.Builder.minId(String.valueOf(cutoff.toEpochMilli()))))
        .mapEmpty();
  }

  @Override
  public Future<Void> deadLetter(Delivery d, String reason) {
    return redis.<Long>call("inbox", c -> c.async().eval(DEAD_LETTER, ScriptOutputType.INTEGER, new String[] {stream, dead},
        d.id(), d.event(), reason, String.valueOf(d.deliveries()), group)).mapEmpty();
  }
}
