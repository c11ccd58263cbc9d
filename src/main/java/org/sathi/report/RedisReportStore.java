package org.sathi.report;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sathi.redis.RedisConnection;

/**
 * Reports in Redis, on the shared connection, one Lua script per call:
 * {@code sathi:report:{REF}} (the report, JSON), {@code sathi:report:{REF}:timeline} (a list),
 * {@code sathi:reports:open} (by urgency, then age), {@code sathi:reports:created} (by age, for
 * retention), {@code sathi:places:<key>} (recent reports per place), {@code sathi:escalations}
 * (when each report's next page is due, leased to one instance at a time) and
 * {@code sathi:stats:YYYY-MM} (each report's statistics line, {@link Facts}, by the UTC month it
 * was received in; kept as long as the report, and erased with it).
 */
public final class RedisReportStore implements ReportStore {
  static final String OPEN = "sathi:reports:open";
  static final String CREATED = "sathi:reports:created";
  static final String ESCALATIONS = "sathi:escalations";
  static final long PLACE_MEMORY_MILLIS = Duration.ofDays(2).toMillis();

  /**
   * KEYS: report, timeline, open, created, place, escalations, state, statistics month. ARGV: json,
   * urgency, created ms, ref, first page ms or '', place?, place ms, facts, entries...
   */
  static final String CREATE = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('SET', KEYS[1], ARGV[1])
      redis.call('HSET', KEYS[7], 'status', 'NEW', 'escalation', '0', 'stats', KEYS[8])
      redis.call('HSET', KEYS[8], ARGV[4], ARGV[8])
      for i = 9, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
      redis.call('ZADD', KEYS[3], ARGV[2], ARGV[4])
      redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
      if ARGV[6] == '1' then
        redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[5], ARGV[7])
        redis.call('HSET', KEYS[7], 'place', KEYS[5])
      end
      if ARGV[5] ~= '' then redis.call('ZADD', KEYS[6], ARGV[5], ARGV[4]) end
      return 1
      """;

  /** The report and its changeable state (status, assignee, acknowledgedBy, escalation). */
  static final String GET = """
      local json = redis.call('GET', KEYS[1])
      if not json then return {} end
      return {json, cjson.encode(redis.call('HGETALL', KEYS[2]))}
      """;

  /**
   * KEYS: created. ARGV: newest ms (inclusive), oldest ms, limit, the reference the last page ended
   * on ('' none: at the newest ms, only references before it). The reports, newest first, with their state.
   */
  static final String LIST_NEWEST = """
      local rows = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]) + 64)
      local out = {}
      local n = 0
      for i = 1, #rows, 2 do
        local ref = rows[i]
        local tie = ARGV[4] ~= '' and tonumber(rows[i + 1]) == tonumber(ARGV[1]) and ref >= ARGV[4]
        if not tie then
          local json = redis.call('GET', 'sathi:report:{' .. ref .. '}')
          if json then
            table.insert(out, json)
            table.insert(out, cjson.encode(redis.call('HGETALL', 'sathi:report:{' .. ref .. '}:state')))
            n = n + 1
            if n >= tonumber(ARGV[3]) then break end
          end
        end
      end
      return out
      """;

  /** KEYS: open. ARGV: limit. The reports themselves, most urgent first, each with its state. */
  static final String LIST_OPEN = """
      local refs = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
      local out = {}
      for _, ref in ipairs(refs) do
        local json = redis.call('GET', 'sathi:report:{' .. ref .. '}')
        if json then
          table.insert(out, json)
          table.insert(out, cjson.encode(redis.call('HGETALL', 'sathi:report:{' .. ref .. '}:state')))
        end
      end
      return out
      """;

  /** KEYS: report, state, timeline, escalations. ARGV: ref, from level, entry, next due ms or ''. */
  static final String ESCALATED = """
      if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('ZREM', KEYS[4], ARGV[1]) return 0 end
      local st = redis.call('HMGET', KEYS[2], 'status', 'acknowledgedBy', 'escalation')
      if st[1] ~= 'NEW' or st[2] then
        redis.call('ZREM', KEYS[4], ARGV[1])
        return 0
      end
      -- Another instance moved it on already (its lease ran out mid-page): leave its schedule alone.
      if tonumber(st[3]) ~= tonumber(ARGV[2]) then return 0 end
      redis.call('HSET', KEYS[2], 'escalation', tostring(tonumber(ARGV[2]) + 1))
      redis.call('RPUSH', KEYS[3], ARGV[3])
      if ARGV[4] ~= '' then redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1]) else redis.call('ZREM', KEYS[4], ARGV[1]) end
      return 1
      """;

  /** KEYS: report, timeline, notes seen. ARGV: entry, dedup id or ''. */
  static final String NOTE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      if ARGV[2] ~= '' and redis.call('SADD', KEYS[3], ARGV[2]) == 0 then return 1 end
      redis.call('RPUSH', KEYS[2], ARGV[1])
      return 1
      """;

  /**
   * KEYS: report, timeline, notes seen, open, state, statistics month. ARGV: the report as read, the amended report, entry, dedup id
   * or '', ref, new urgency, the amended report's statistics line (written while it has no outcome: an open report's).
   * -1 when the report changed since it was read (read it again); the open queue's score follows only a report still in it.
   */
  static final String AMEND = """
      local json = redis.call('GET', KEYS[1])
      if not json then return 0 end
      if ARGV[4] ~= '' and redis.call('SISMEMBER', KEYS[3], ARGV[4]) == 1 then return 1 end
      if json ~= ARGV[1] then return -1 end
      redis.call('SET', KEYS[1], ARGV[2])
      if ARGV[4] ~= '' then redis.call('SADD', KEYS[3], ARGV[4]) end
      redis.call('RPUSH', KEYS[2], ARGV[3])
      if redis.call('ZSCORE', KEYS[4], ARGV[5]) then redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5]) end
      if redis.call('HEXISTS', KEYS[5], 'outcome') == 0 then redis.call('HSET', KEYS[6], ARGV[5], ARGV[7]) end
      return 1
      """;

  /** Reads the stored report again this many times when it changed between reading and amending it. */
  static final int AMEND_ATTEMPTS = 5;

  /** KEYS: report, state, timeline, escalations. ARGV: ref, officer, entry. */
  static final String ACKNOWLEDGE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      if not redis.call('HGET', KEYS[2], 'acknowledgedBy') then
        redis.call('HSET', KEYS[2], 'acknowledgedBy', ARGV[2])
        redis.call('RPUSH', KEYS[3], ARGV[3])
      end
      redis.call('ZREM', KEYS[4], ARGV[1])
      return 1
      """;

  /**
   * KEYS: report, state, timeline, escalations, open, statistics month. ARGV: ref, to, assignee or '',
   * entry, urgency, still open?, held by ('*' any, '' nobody), outcome or '', facts, from...
   */
  static final String CHANGE_STATUS = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      local status = redis.call('HGET', KEYS[2], 'status')
      local allowed = false
      for i = 10, #ARGV do if ARGV[i] == status then allowed = true end end
      if not allowed then return 0 end
      if ARGV[7] ~= '*' and (redis.call('HGET', KEYS[2], 'assignee') or '') ~= ARGV[7] then return 0 end
      redis.call('HSET', KEYS[2], 'status', ARGV[2])
      if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'assignee', ARGV[3]) else redis.call('HDEL', KEYS[2], 'assignee') end
      if ARGV[8] ~= '' then redis.call('HSET', KEYS[2], 'outcome', ARGV[8]) else redis.call('HDEL', KEYS[2], 'outcome') end
      redis.call('HSET', KEYS[6], ARGV[1], ARGV[9])
      redis.call('HSET', KEYS[2], 'stats', KEYS[6])
      redis.call('RPUSH', KEYS[3], ARGV[4])
      if ARGV[6] == '1' then redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1]) else redis.call('ZREM', KEYS[5], ARGV[1]) end
      if ARGV[2] ~= 'NEW' then redis.call('ZREM', KEYS[4], ARGV[1]) end
      return 1
      """;

  /** KEYS: report, state, timeline, open, created, escalations, audit. ARGV: ref, actor, reason, at. */
  static final String ERASE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      local place = redis.call('HGET', KEYS[2], 'place')
      if place then redis.call('ZREM', place, ARGV[1]) end
      local stats = redis.call('HGET', KEYS[2], 'stats')
      if stats then redis.call('HDEL', stats, ARGV[1]) end
      redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[1] .. ':notes-seen', 'sathi:ref:' .. ARGV[1])
      redis.call('ZREM', KEYS[4], ARGV[1])
      redis.call('ZREM', KEYS[5], ARGV[1])
      redis.call('ZREM', KEYS[6], ARGV[1])
      redis.call('XADD', KEYS[7], '*', 'at', ARGV[4], 'officer', ARGV[2], 'action', 'erased', 'reference', ARGV[1], 'outcome', ARGV[3])
      return 1
      """;

  /** The append-only audit log; erasures are written to it in the same step. */
  public static final String AUDIT = "sathi:audit";

  /** KEYS: escalations. ARGV: now ms, lease end ms, max. */
  static final String CLAIM_DUE = """
      local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
      for _, ref in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], ref) end
      return due
      """;

  private final RedisConnection redis;

  public RedisReportStore(RedisConnection redis) {
    this.redis = redis;
  }

  static String report(String ref) {
    return "sathi:report:{" + ref + "}";
  }

  static String timelineKey(String ref) {
    return "sathi:report:{" + ref + "}:timeline";
  }

  static String state(String ref) {
    return "sathi:report:{" + ref + "}:state";
  }

  static String place(String key) {
    return "sathi:places:" + key;
  }

  /** The statistics lines ({@link Facts}) of the reports received in one UTC month: {@code sathi:stats:2026-11}. */
  static String statsMonth(Instant t) {
    return statsMonth(java.time.YearMonth.from(t.atOffset(java.time.ZoneOffset.UTC)));
  }

  static String statsMonth(java.time.YearMonth month) {
    return "sathi:stats:" + month;
  }

  /** Urgency then age in one score: P1 before P2 before P3, older first within each. */
  static double urgency(Report r) {
    return r.priority().ordinal() * 1e13 + r.createdAt().toEpochMilli();
  }

  @Override
  public Future<Boolean> create(Report report, List<TimelineEntry> timeline, String placeKey, Optional<Instant> firstPage) {
    String ref = report.reference();
    boolean hasPlace = placeKey != null && !placeKey.isEmpty();
    List<String> args = new ArrayList<>(List.of(ReportJson.write(report), String.valueOf(urgency(report)),
        String.valueOf(report.createdAt().toEpochMilli()), ref, firstPage.map(t -> String.valueOf(t.toEpochMilli())).orElse(""),
        hasPlace ? "1" : "0", String.valueOf(PLACE_MEMORY_MILLIS), Facts.of(report).encode()));
    timeline.forEach(e -> args.add(ReportJson.write(e)));
    return redis.<Long>call("reports", c -> c.async().eval(CREATE, ScriptOutputType.INTEGER,
        new String[] {report(ref), timelineKey(ref), OPEN, CREATED, place(hasPlace ? placeKey : "-"), ESCALATIONS, state(ref),
            statsMonth(report.createdAt())}, args.toArray(String[]::new)))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Optional<Report>> get(String reference) {
    return redis.<List<Object>>call("reports", c -> c.async().eval(GET, ScriptOutputType.MULTI, new String[] {report(reference), state(reference)}))
        .map(r -> r.isEmpty() ? Optional.empty() : Optional.of(withState((String) r.get(0), (String) r.get(1))));
  }

  /** The stored report with its changeable state laid over it (state is a flat [k, v, ...] JSON list). */
  static Report withState(String json, String stateJson) {
    Report stored = ReportJson.read(json, Report.class);
    java.util.Map<String, String> state = new java.util.HashMap<>();
    try {
      com.fasterxml.jackson.databind.JsonNode flat = ReportJson.MAPPER.readTree(stateJson);
      for (int i = 0; i + 1 < flat.size(); i += 2) state.put(flat.get(i).asText(), flat.get(i + 1).asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot decode a report's state", e);
    }
    return stored.withState(Report.Status.valueOf(state.getOrDefault("status", "NEW")), state.get("assignee"), state.get("acknowledgedBy"),
        Integer.parseInt(state.getOrDefault("escalation", "0")), state.get("outcome"));
  }

  @Override
  public Future<List<TimelineEntry>> timeline(String reference) {
    return redis.<List<String>>call("reports", c -> c.async().lrange(timelineKey(reference), 0, -1))
        .map(list -> list.stream().map(j -> ReportJson.read(j, TimelineEntry.class)).toList());
  }

  @Override
  public Future<List<Report>> newest(long beforeMillis, String afterReference, Instant notBefore, int limit) {
    return redis.<List<Object>>call("reports", c -> c.async().eval(LIST_NEWEST, ScriptOutputType.MULTI, new String[] {CREATED},
            String.valueOf(beforeMillis), String.valueOf(notBefore.toEpochMilli()), String.valueOf(limit), afterReference == null ? "" : afterReference))
        .map(flat -> {
          List<Report> out = new ArrayList<>();
          for (int i = 0; i + 1 < flat.size(); i += 2) out.add(withState((String) flat.get(i), (String) flat.get(i + 1)));
          return out;
        });
  }

  @Override
  public Future<List<Report>> open(int limit) {
    return redis.<List<Object>>call("reports", c -> c.async().eval(LIST_OPEN, ScriptOutputType.MULTI, new String[] {OPEN}, String.valueOf(limit)))
        .map(flat -> {
          List<Report> out = new ArrayList<>();
          for (int i = 0; i + 1 < flat.size(); i += 2) out.add(withState((String) flat.get(i), (String) flat.get(i + 1)));
          return out;
        });
  }

  @Override
  public Future<Boolean> escalated(String reference, int fromLevel, TimelineEntry entry, Optional<Instant> nextDue) {
    return redis.<Long>call("reports", c -> c.async().eval(ESCALATED, ScriptOutputType.INTEGER,
            new String[] {report(reference), state(reference), timelineKey(reference), ESCALATIONS},
            reference, String.valueOf(fromLevel), ReportJson.write(entry), nextDue.map(t -> String.valueOf(t.toEpochMilli())).orElse("")))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Boolean> note(String reference, TimelineEntry entry, String dedupId) {
    return redis.<Long>call("reports", c -> c.async().eval(NOTE, ScriptOutputType.INTEGER,
            new String[] {report(reference), timelineKey(reference), report(reference) + ":notes-seen"}, ReportJson.write(entry),
            dedupId == null ? "" : dedupId))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Boolean> amend(String reference, java.util.function.UnaryOperator<Report> change, TimelineEntry entry, String dedupId) {
    return amend(reference, change, entry, dedupId, 1);
  }

  private Future<Boolean> amend(String reference, java.util.function.UnaryOperator<Report> change, TimelineEntry entry, String dedupId,
      int attempt) {
    return redis.<String>call("reports", c -> c.async().get(report(reference))).compose(json -> {
      if (json == null) return Future.succeededFuture(false);
      Report amended = change.apply(ReportJson.read(json, Report.class));
      return redis.<Long>call("reports", c -> c.async().eval(AMEND, ScriptOutputType.INTEGER,
              new String[] {report(reference), timelineKey(reference), report(reference) + ":notes-seen", OPEN, state(reference),
                  statsMonth(amended.createdAt())},
              json, ReportJson.write(amended), ReportJson.write(entry), dedupId == null ? "" : dedupId, reference, String.valueOf(urgency(amended)),
              Facts.of(amended).encode()))
          .compose(n -> n == -1L && attempt < AMEND_ATTEMPTS ? amend(reference, change, entry, dedupId, attempt + 1)
              : n == -1L ? Future.failedFuture(new org.sathi.redis.StoreUnavailable("report " + reference + " kept changing while it was amended"))
              : Future.succeededFuture(n == 1L));
    });
  }

  @Override
  public Future<Boolean> acknowledge(String reference, String officer, TimelineEntry entry) {
    return redis.<Long>call("reports", c -> c.async().eval(ACKNOWLEDGE, ScriptOutputType.INTEGER,
            new String[] {report(reference), state(reference), timelineKey(reference), ESCALATIONS}, reference, officer, ReportJson.write(entry)))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Boolean> changeStatus(String reference, java.util.Set<Report.Status> from, Report.Status to, String assignee, TimelineEntry entry,
      String heldBy, String outcome) {
    return get(reference).compose(found -> {
      if (found.isEmpty()) return Future.succeededFuture(false);
      Report next = found.get().withStatus(to, assignee, outcome);
      List<String> args = new ArrayList<>(List.of(reference, to.name(), assignee == null ? "" : assignee, ReportJson.write(entry),
          String.valueOf(urgency(next)), next.open() ? "1" : "0", heldBy == null ? "*" : heldBy,
          next.outcome() == null ? "" : next.outcome(), Facts.of(next).encode()));
      from.forEach(st -> args.add(st.name()));
      return redis.<Long>call("reports", c -> c.async().eval(CHANGE_STATUS, ScriptOutputType.INTEGER,
              new String[] {report(reference), state(reference), timelineKey(reference), ESCALATIONS, OPEN, statsMonth(next.createdAt())},
              args.toArray(String[]::new)))
          .map(n -> n == 1L);
    });
  }

  @Override
  public Future<Boolean> erase(String reference, String actor, String reason, Instant at) {
    return redis.<Long>call("reports", c -> c.async().eval(ERASE, ScriptOutputType.INTEGER,
            new String[] {report(reference), state(reference), timelineKey(reference), OPEN, CREATED, ESCALATIONS, AUDIT},
            reference, actor, reason, at.toString()))
        .map(n -> n == 1L);
  }

  @Override
  public Future<List<Facts>> facts(Instant from, Instant to) {
    List<Future<List<String>>> months = new ArrayList<>();
    java.time.YearMonth last = java.time.YearMonth.from(to.minusMillis(1).atOffset(java.time.ZoneOffset.UTC));
    for (java.time.YearMonth m = java.time.YearMonth.from(from.atOffset(java.time.ZoneOffset.UTC)); !m.isAfter(last); m = m.plusMonths(1)) {
      String key = statsMonth(m);
      months.add(redis.call("reports", c -> c.async().hvals(key)));
    }
    long lo = from.toEpochMilli();
    long hi = to.toEpochMilli();
    return Future.all(months).map(done -> {
      List<Facts> out = new ArrayList<>();
      for (Future<List<String>> m : months) {
        for (String line : m.result()) {
          Facts f = Facts.decode(line);
          if (f.createdMillis() >= lo && f.createdMillis() < hi) out.add(f);
        }
      }
      return out;
    });
  }

  @Override
  public Future<List<String>> createdBefore(Instant cutoff, int max) {
    return redis.call("reports", c -> c.async().zrangebyscore(CREATED,
        io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) cutoff.toEpochMilli() - 1), io.lettuce.core.Limit.create(0, max)));
  }

  @Override
  public Future<Long> reportsAboutPlace(String placeKey, Instant since) {
    return redis.call("reports", c -> c.async().zcount(place(placeKey), io.lettuce.core.Range.create((double) since.toEpochMilli(), Double.POSITIVE_INFINITY)));
  }

  @Override
  public Future<List<String>> claimDue(Instant now, Duration lease, int max) {
    return redis.<List<String>>call("reports", c -> c.async().eval(CLAIM_DUE, ScriptOutputType.MULTI, new String[] {ESCALATIONS},
        String.valueOf(now.toEpochMilli()), String.valueOf(now.plus(lease).toEpochMilli()), String.valueOf(max)));
  }

  @Override
  public Future<Void> schedule(String reference, Optional<Instant> due) {
    return due.isPresent()
        ? redis.<Long>call("reports", c -> c.async().zadd(ESCALATIONS, (double) due.get().toEpochMilli(), reference)).mapEmpty()
        : redis.<Long>call("reports", c -> c.async().zrem(ESCALATIONS, reference)).mapEmpty();
  }
}
