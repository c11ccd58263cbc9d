package org.sathi.session;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.sathi.flow.Conversation;
import org.sathi.redis.RedisConnection;

/**
 * Conversations in Redis through the shared connection. Each call is one Lua script, so a turn is
 * two round trips and a commit is all or nothing. Keys share the caller's hash tag:
 * {@code sathi:{key}:conv} (a hash: version and sealed conversation), {@code :seen} (language, for
 * "welcome back"), {@code :replies} (webhook id -> reply), {@code :reach} (the sealed number, for the
 * reply window). Reports and hand-offs go to the stream {@code sathi:events}.
 *
 * <p>A commit is refused, and changes nothing, when another turn of the caller committed since the
 * load (the host runs the turn again) or when its deadline has passed on Redis's clock (the caller
 * was already told to text again, so a late write would move them on behind their back).
 */
public final class RedisSessionStore implements SessionStore {

  public static final String EVENTS_STREAM = "sathi:events";

  static final String LOAD = """
      local reply = redis.call('HGET', KEYS[1], ARGV[1])
      if reply then return {reply} end
      local conv = redis.call('HMGET', KEYS[2], 'v', 'c', 's')
      return {'', conv[1] or '0', conv[2] or '', redis.call('GET', KEYS[3]) or '', redis.call('GET', KEYS[4]) or '',
        tostring(redis.call('SCARD', KEYS[5])), conv[3] or ''}
      """;

  /**
   * KEYS: replies, conversation, seen, reach, events, follow-up. ARGV: webhook id, reply, dedup ms,
   * expected version, deadline (Redis clock, ms), sealed conversation ('' wipes), conversation ms,
   * language, seen ms, sealed number ('' none), reply-window ms, follow-up reference ('' clears),
   * follow-up ms, number of references, the outbox entry ('' none; KEYS[7] is the channel's outbox),
   * the channel's surface ('' none), references (each taken for good as sathi:ref:CODE), events...
   */
  static final String COMMIT = """
      local previous = redis.call('HGET', KEYS[1], ARGV[1])
      if previous then return {'duplicate', previous} end
      local t = redis.call('TIME')
      if t[1] * 1000 + math.floor(t[2] / 1000) > tonumber(ARGV[5]) then return {'late', ''} end
      local version = tonumber(redis.call('HGET', KEYS[2], 'v') or '0')
      if version ~= tonumber(ARGV[4]) then return {'conflict', ''} end
      local refs = tonumber(ARGV[14])
      for i = 17, 16 + refs do
        if redis.call('EXISTS', 'sathi:ref:' .. ARGV[i]) == 1 then return {'conflict', ''} end
      end
      for i = 17, 16 + refs do redis.call('SET', 'sathi:ref:' .. ARGV[i], '1') end
      if ARGV[6] == '' then
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6])
      else
        if ARGV[12] ~= '' then redis.call('SET', KEYS[6], ARGV[12], 'PX', ARGV[13]) else redis.call('DEL', KEYS[6]) end
        redis.call('HSET', KEYS[2], 'v', version + 1, 'c', ARGV[6])
        if ARGV[16] ~= '' then redis.call('HSET', KEYS[2], 's', ARGV[16]) else redis.call('HDEL', KEYS[2], 's') end
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        redis.call('SET', KEYS[3], ARGV[8], 'PX', ARGV[9])
        if ARGV[10] ~= '' then redis.call('SET', KEYS[4], ARGV[10], 'PX', ARGV[11]) end
      end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      if ARGV[15] ~= '' then redis.call('XADD', KEYS[7], '*', 'event', ARGV[15]) end
      for i = 17 + refs, #ARGV do
        redis.call('XADD', KEYS[5], '*', 'event', ARGV[i])
      end
      return {'saved', ARGV[2]}
      """;

  private final RedisConnection redis;
  private final SessionTimes times;
  private final ConversationCodec codec;

  private final RedisConnection.Script loadScript;
  private final RedisConnection.Script commitScript;

  public RedisSessionStore(RedisConnection redis, SessionTimes times, ConversationCodec codec) {
    this.redis = redis;
    this.loadScript = redis.script(LOAD);
    this.commitScript = redis.script(COMMIT);
    this.times = times;
    this.codec = codec;
  }

  /** The connection this store works on: the channels' state lives beside the conversations. */
  public RedisConnection connection() {
    return redis;
  }

  @Override
  public Future<Loaded> load(String callerKey, String webhookId) {
    return redis.<List<Object>>eval("session", loadScript, ScriptOutputType.MULTI,
        new String[] {replies(callerKey), conversation(callerKey), seen(callerKey), followUp(callerKey), followUpFailures(callerKey)}, webhookId)
        .map(r -> {
          if (r.size() == 1) return new Loaded(StoredReply.unpack((String) r.get(0)), null, 0, null, null, 0);
          long version = Long.parseLong((String) r.get(1));
          String lang = (String) r.get(3);
          String followUp = (String) r.get(4);
          return new Loaded(null, codec.decode((String) r.get(2), callerKey), version, lang.isEmpty() ? null : lang,
              followUp.isEmpty() ? null : followUp, Long.parseLong((String) r.get(5)), ((String) r.get(6)).isEmpty() ? null : (String) r.get(6));
        });
  }

  @Override
  public Future<Committed> commit(Commit commit) {
    String key = commit.callerKey();
    Conversation next = commit.next();
    List<String> args = new ArrayList<>(List.of(
        commit.webhookId(),
        StoredReply.pack(commit.reply()),
        String.valueOf(times.dedup().toMillis()),
        String.valueOf(commit.version()),
        String.valueOf(commit.deadline().toEpochMilli() + redis.clockOffsetMillis()),
        next == null ? "" : codec.encode(next, key),
        String.valueOf(times.conversation().toMillis()),
        next == null ? "" : next.language(),
        String.valueOf(times.returning().toMillis()),
        commit.reach() == null ? "" : commit.reach(),
        String.valueOf(times.replyWindow().toMillis()),
        commit.followUp() == null ? "" : commit.followUp(),
        String.valueOf(FOLLOW_UP_WINDOW.toMillis()),
        String.valueOf(commit.references().size()),
        commit.outgoing() == null ? "" : commit.outgoing().entry(),
        commit.surface() == null ? "" : commit.surface()));
    args.addAll(commit.references());
    args.addAll(commit.events());
    return redis.<List<Object>>eval("session", commitScript, ScriptOutputType.MULTI,
        new String[] {replies(key), conversation(key), seen(key), reach(key), EVENTS_STREAM, followUp(key),
            SessionStore.outbox(commit.outgoing() == null ? "-" : commit.outgoing().channel())}, args.toArray(String[]::new))
        .map(r -> {
          Status status = Status.valueOf(((String) r.get(0)).toUpperCase(java.util.Locale.ROOT));
          String reply = (String) r.get(1);
          // A saved commit answers with the reply as sent; a duplicate with the one stored before.
          return new Committed(status, reply.isEmpty() ? null : status == Status.SAVED ? commit.reply() : StoredReply.unpack(reply));
        });
  }

  /** A set of the webhook ids of wrong codes: a retried webhook counts once. The hour runs from the first. */
  static final String FOLLOW_UP_FAILED = """
      if redis.call('SADD', KEYS[1], ARGV[2]) == 1 and redis.call('SCARD', KEYS[1]) == 1 then
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
      end
      return redis.call('SCARD', KEYS[1])
      """;

  @Override
  public Future<Long> followUpFailed(String callerKey, String webhookId) {
    return redis.call("session", c -> c.async().<Long>eval(FOLLOW_UP_FAILED, ScriptOutputType.INTEGER,
        new String[] {followUpFailures(callerKey)}, String.valueOf(FOLLOW_UP_WINDOW.toMillis()), webhookId));
  }

  @Override
  public Future<String> sealedReach(String callerKey) {
    return redis.call("session", c -> c.async().get(reach(callerKey)));
  }

  /** Only while the caller still has a conversation: after the quick exit nothing may point at a report. */
  static final String OPEN_THREAD = """
      if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """;

  @Override
  public Future<Void> openThread(String callerKey, String reference) {
    return redis.<Long>call("session", c -> c.async().eval(OPEN_THREAD, ScriptOutputType.INTEGER,
        new String[] {followUp(callerKey), conversation(callerKey)}, reference, String.valueOf(FOLLOW_UP_WINDOW.toMillis()))).mapEmpty();
  }

  @Override
  public Future<Boolean> referenceTaken(String reference) {
    return redis.<Long>call("session", c -> c.async().exists("sathi:ref:" + reference)).map(n -> n == 1L);
  }

  @Override
  public Future<Void> ping() {
    return redis.ping();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture(); // the connection belongs to whoever made it
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

  static String followUp(String key) {
    return "sathi:{" + key + "}:followup";
  }

  /** Not wiped by the quick exit: otherwise "exit" would reset the lock against guessing codes. */
  static String followUpFailures(String key) {
    return "sathi:{" + key + "}:followup-fails";
  }

  static String replies(String key) {
    return "sathi:{" + key + "}:replies";
  }
}
