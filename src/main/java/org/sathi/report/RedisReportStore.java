package org.sathi.report;

import io.lettuce.core.ScriptOutputType;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.sathi.session.RedisConnection;

/**
 * Reports in Redis, on the shared connection, one Lua script per call:
 * {@code sathi:report:{REF}} (the report, JSON), {@code sathi:report:{REF}:timeline} (a list),
 * {@code sathi:reports:open} (by urgency, then age), {@code sathi:reports:created} (by age, for
 * retention), {@code sathi:places:<key>} (recent reports per place) and {@code sathi:escalations}
 * (when each report's next page is due, leased to one instance at a time).
 */
public final class RedisReportStore implements ReportStore {
  static final String OPEN = "sathi:reports:open";
  static final String CREATED = "sathi:reports:created";
  static final String ESCALATIONS = "sathi:escalations";
  static final long PLACE_MEMORY_MILLIS = Duration.ofDays(2).toMillis();

  /** KEYS: report, timeline, open, created, place, escalations. ARGV: json, urgency, created ms, ref, first page ms or '', place?, entries... */
  static final String CREATE = """
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      redis.call('SET', KEYS[1], ARGV[1])
      for i = 8, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
      redis.call('ZADD', KEYS[3], ARGV[2], ARGV[4])
      redis.call('ZADD', KEYS[4], ARGV[3], ARGV[4])
      if ARGV[6] == '1' then
        redis.call('ZADD', KEYS[5], ARGV[3], ARGV[4])
        redis.call('PEXPIRE', KEYS[5], ARGV[7])
      end
      if ARGV[5] ~= '' then redis.call('ZADD', KEYS[6], ARGV[5], ARGV[4]) end
      return 1
      """;

  /** KEYS: report, timeline, open. ARGV: json, urgency, ref, open ('1'/'0'), entries... */
  static final String UPDATE = """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('SET', KEYS[1], ARGV[1])
      for i = 5, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
      if ARGV[4] == '1' then redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3]) else redis.call('ZREM', KEYS[3], ARGV[3]) end
      return 1
      """;

  /** KEYS: open. ARGV: limit. The reports themselves, most urgent first. */
  static final String LIST_OPEN = """
      local refs = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
      local out = {}
      for i, ref in ipairs(refs) do out[i] = redis.call('GET', 'sathi:report:{' .. ref .. '}') or '' end
      return out
      """;

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

  static String place(String key) {
    return "sathi:places:" + key;
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
        hasPlace ? "1" : "0", String.valueOf(PLACE_MEMORY_MILLIS)));
    timeline.forEach(e -> args.add(ReportJson.write(e)));
    return redis.<Long>call(c -> c.async().eval(CREATE, ScriptOutputType.INTEGER,
        new String[] {report(ref), timelineKey(ref), OPEN, CREATED, place(hasPlace ? placeKey : "-"), ESCALATIONS}, args.toArray(String[]::new)))
        .map(n -> n == 1L);
  }

  @Override
  public Future<Optional<Report>> get(String reference) {
    return redis.<String>call(c -> c.async().get(report(reference)))
        .map(json -> Optional.ofNullable(json).map(j -> ReportJson.read(j, Report.class)));
  }

  @Override
  public Future<List<TimelineEntry>> timeline(String reference) {
    return redis.<List<String>>call(c -> c.async().lrange(timelineKey(reference), 0, -1))
        .map(list -> list.stream().map(j -> ReportJson.read(j, TimelineEntry.class)).toList());
  }

  @Override
  public Future<List<Report>> open(int limit) {
    return redis.<List<Object>>call(c -> c.async().eval(LIST_OPEN, ScriptOutputType.MULTI, new String[] {OPEN}, String.valueOf(limit)))
        .map(list -> list.stream().map(o -> (String) o).filter(j -> !j.isEmpty()).map(j -> ReportJson.read(j, Report.class)).toList());
  }

  @Override
  public Future<Void> update(Report report, List<TimelineEntry> entries) {
    String ref = report.reference();
    List<String> args = new ArrayList<>(List.of(ReportJson.write(report), String.valueOf(urgency(report)), ref, report.open() ? "1" : "0"));
    entries.forEach(e -> args.add(ReportJson.write(e)));
    return redis.<Long>call(c -> c.async().eval(UPDATE, ScriptOutputType.INTEGER,
        new String[] {report(ref), timelineKey(ref), OPEN}, args.toArray(String[]::new)))
        .compose(n -> n == 1L ? Future.succeededFuture() : Future.failedFuture(new IllegalArgumentException("no report " + ref)));
  }

  @Override
  public Future<Long> reportsAboutPlace(String placeKey, Instant since) {
    return redis.call(c -> c.async().zcount(place(placeKey), io.lettuce.core.Range.create((double) since.toEpochMilli(), Double.POSITIVE_INFINITY)));
  }

  @Override
  public Future<List<String>> claimDue(Instant now, Duration lease, int max) {
    return redis.<List<String>>call(c -> c.async().eval(CLAIM_DUE, ScriptOutputType.MULTI, new String[] {ESCALATIONS},
        String.valueOf(now.toEpochMilli()), String.valueOf(now.plus(lease).toEpochMilli()), String.valueOf(max)));
  }

  @Override
  public Future<Void> schedule(String reference, Optional<Instant> due) {
    return due.isPresent()
        ? redis.<Long>call(c -> c.async().zadd(ESCALATIONS, (double) due.get().toEpochMilli(), reference)).mapEmpty()
        : redis.<Long>call(c -> c.async().zrem(ESCALATIONS, reference)).mapEmpty();
  }
}
