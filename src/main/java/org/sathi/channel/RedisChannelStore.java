package org.sathi.channel;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.sathi.redis.RedisConnection;

/**
 * {@link ChannelStore} on Redis, each call one Lua script (one round trip). Keys share the caller's
 * hash tag: {@code sathi:{key}:mo:<channel>} (content hash -> count, and {@code last}: the latest text and whether it was acknowledged),
 * {@code sathi:{key}:parts:<channel>:<ref>:<total>} (part number -> sealed text), {@code sathi:{key}:wrote:<channel>}
 * (when the caller last wrote, epoch ms); receipts are
 * {@code sathi:dlr:<channel>:<message id>} -> report reference.
 */
public final class RedisChannelStore implements ChannelStore {

  /**
   * Field {@code last} is the caller's latest text and whether it was acknowledged ("hash:0"/"hash:1");
   * each content hash has its own count. Only the latest text, unacknowledged, can be a redelivery:
   * once another text was taken, the earlier one surely reached Sathi and was answered.
   */
  static final String ORDINAL = """
      local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
      if n > 0 and redis.call('HGET', KEYS[1], 'last') == ARGV[1] .. ':0' then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return n
      end
      n = n + 1
      redis.call('HSET', KEYS[1], ARGV[1], n, 'last', ARGV[1] .. ':0')
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return n
      """;

  static final String ACKNOWLEDGED = """
      if redis.call('HGET', KEYS[1], 'last') == ARGV[1] .. ':0' then redis.call('HSET', KEYS[1], 'last', ARGV[1] .. ':1') end
      return 1
      """;

  static final String PART = """
      if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 and redis.call('HLEN', KEYS[1]) == 1 then
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
      end
      if redis.call('HLEN', KEYS[1]) < tonumber(ARGV[3]) then return {} end
      local out = {}
      for i = 1, tonumber(ARGV[3]) do
        local p = redis.call('HGET', KEYS[1], tostring(i))
        if not p then return {} end
        table.insert(out, p)
      end
      return out
      """;

  /** A later time replaces an earlier one, and the key lives {@code keep} from the latest. */
  static final String WROTE = """
      local before = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tonumber(ARGV[1]) > before then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
      return 1
      """;

  private final RedisConnection redis;
  private final RedisConnection.Script wrote;
  private final RedisConnection.Script ordinal;
  private final RedisConnection.Script acknowledged;
  private final RedisConnection.Script part;

  public RedisChannelStore(RedisConnection redis) {
    this.redis = redis;
    this.ordinal = redis.script(ORDINAL);
    this.acknowledged = redis.script(ACKNOWLEDGED);
    this.part = redis.script(PART);
    this.wrote = redis.script(WROTE);
  }

  @Override
  public Future<Long> ordinal(String callerKey, String channel, String contentHash, Duration window) {
    return redis.eval("channel", ordinal, ScriptOutputType.INTEGER, new String[] {seen(callerKey, channel)}, contentHash,
        String.valueOf(window.toMillis()));
  }

  @Override
  public Future<Void> acknowledged(String callerKey, String channel, String contentHash) {
    return redis.<Long>eval("channel", acknowledged, ScriptOutputType.INTEGER, new String[] {seen(callerKey, channel)}, contentHash).mapEmpty();
  }

  @Override
  public Future<List<String>> part(String callerKey, String channel, String reference, int total, int seq, String sealedText, Duration keep) {
    String key = "sathi:{" + callerKey + "}:parts:" + channel + ":" + reference + ":" + total;
    return redis.<List<Object>>eval("channel", part, ScriptOutputType.MULTI, new String[] {key}, String.valueOf(seq), sealedText,
        String.valueOf(total), String.valueOf(keep.toMillis())).map(r -> r.stream().map(String.class::cast).toList());
  }

  @Override
  public Future<Void> watchReceipt(String channel, String messageId, String reference, Duration keep) {
    return redis.<String>call("channel", c -> c.async().psetex(receipt(channel, messageId), keep.toMillis(), reference)).mapEmpty();
  }

  @Override
  public Future<String> receiptFor(String channel, String messageId) {
    return redis.call("channel", c -> c.async().get(receipt(channel, messageId)));
  }

  @Override
  public Future<Void> wrote(String callerKey, String channel, Instant at, Duration keep) {
    return redis.<Long>eval("channel", wrote, ScriptOutputType.INTEGER, new String[] {wroteKey(callerKey, channel)},
        String.valueOf(at.toEpochMilli()), String.valueOf(keep.toMillis())).mapEmpty();
  }

  @Override
  public Future<Instant> lastWrote(String callerKey, String channel) {
    return redis.<String>call("channel", c -> c.async().get(wroteKey(callerKey, channel)))
        .map(ms -> ms == null ? null : Instant.ofEpochMilli(Long.parseLong(ms)));
  }

  static String wroteKey(String callerKey, String channel) {
    return "sathi:{" + callerKey + "}:wrote:" + channel;
  }

  static String seen(String callerKey, String channel) {
    return "sathi:{" + callerKey + "}:mo:" + channel;
  }

  static String receipt(String channel, String messageId) {
    return "sathi:dlr:" + channel + ":" + messageId;
  }
}
