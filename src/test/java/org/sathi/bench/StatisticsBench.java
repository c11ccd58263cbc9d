package org.sathi.bench;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.sathi.console.ConsoleApi;
import org.sathi.console.Officer;
import org.sathi.duty.LogPager;
import org.sathi.redis.RedisConnection;
import org.sathi.report.Outcomes;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Backends;
import org.sathi.server.Config;
import org.sathi.session.RedisSessionStore;
import org.sathi.simulator.SampleReports;
import org.sathi.statistics.Period;
import org.sathi.testing.RedisServerProcess;
import org.sathi.testing.TestHotline;

/**
 * {@code ./sathi bench --statistics}: how long a statistics table takes over a quarter of many
 * reports. Fills a real redis-server (AOF, appendfsync always, as readiness requires) with
 * {@code --reports N} (100,000) synthetic reports ({@link SampleReports}) received in the last
 * quarter that has ended, each stored whole by {@code RedisReportStore.create} (its Lua script:
 * report, timeline, queues and the statistics line), a batch of 1,000 sent at once; then times
 * {@code --queries N} (20) {@code GET /api/statistics?period=Q&rows=sex&cols=ageBand} through the
 * real HTTP API of an in-process Sathi (the production verticle, logged in as an analyst), and the
 * store's read of the quarter's statistics lines alone. Prints p50, p99 and max in ms and the
 * bytes of the {@code sathi:stats:YYYY-MM} hashes ({@code MEMORY USAGE ... SAMPLES 0}).
 */
final class StatisticsBench {
  static final int BATCH = 1000;
  static final String PASSWORD = "bench-analyst-password-0123";

  private StatisticsBench() {}

  static void run(Map<String, String> opts) throws Exception {
    int count = Integer.parseInt(opts.getOrDefault("reports", "100000"));
    int queries = Integer.parseInt(opts.getOrDefault("queries", "20"));
    Period quarter = lastEndedQuarter(Instant.now());
    System.out.printf("Sathi statistics bench: %,d reports received in %s, %d timed queries; machine: %d cores, %s; Java %s; %s"
        + " (AOF, appendfsync always); Sathi and Redis on the same machine%n", count, quarter, queries,
        Runtime.getRuntime().availableProcessors(), LoadBench.cpu(), Runtime.version(), LoadBench.redisVersion());
    Vertx vertx = Vertx.vertx();
    try (RedisServerProcess redis = RedisServerProcess.start(); StatefulRedisConnection<String, String> check = redis.connect()) {
      Config config = TestHotline.config().withRedisUrl(redis.url());
      var metrics = TestHotline.newMetrics();
      RedisConnection connection = new RedisConnection(vertx, config.redis().settings(), metrics);
      connection.start().await(10, TimeUnit.SECONDS);
      Backends backends = TestHotline.redis(connection, new RedisSessionStore(connection, config.session().times(), TestHotline.codec()),
          new LogPager());
      TestHotline hotline = TestHotline.deploy(vertx, backends, metrics, ReferenceCode::next, Clock.systemUTC(), config);
      backends.console().accounts().add("bench-analyst", Officer.Role.ANALYST, PASSWORD).await(30, TimeUnit.SECONDS);

      SampleReports sample = new SampleReports(hotline.bundle.languages().enabled().stream().map(l -> l.code()).toList(), Outcomes.shipped(),
          TestHotline.triager(), TestHotline.crosswalk()::map);
      long t0 = System.nanoTime();
      int stored = 0;
      for (int first = 0; first < count; first += BATCH) {
        var batch = sample.make(first, Math.min(BATCH, count - first), quarter.start(), quarter.end(), SampleReports.DEMO_SEED);
        stored += SampleReports.store(backends.reports(), batch, BATCH).await(60, TimeUnit.SECONDS);
      }
      double fillSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("%nstored %,d reports (RedisReportStore.create, %,d pipelined per batch) in %.1f s: %,.0f reports/s%s%n", stored, BATCH,
          fillSeconds, stored / fillSeconds, stored == count ? "" : " (" + (count - stored) + " reference codes came up twice)");

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + hotline.server.port();
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "bench-analyst").put("password", PASSWORD).encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (login.statusCode() != 200) throw new IllegalStateException("the bench's analyst could not log in: " + login.statusCode());
      String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(ConsoleApi.SESSION_COOKIE + "="))
          .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
      HttpRequest query = HttpRequest.newBuilder(URI.create(base + "/api/statistics?period=" + quarter + "&rows=sex&cols=ageBand"))
          .header("Cookie", cookie).timeout(Duration.ofSeconds(60)).build();

      long[] http20 = new long[queries];
      long cold = 0;
      for (int i = -3; i < queries; i++) {
        long q0 = System.nanoTime();
        HttpResponse<String> answer = http.send(query, HttpResponse.BodyHandlers.ofString());
        long micros = (System.nanoTime() - q0) / 1000;
        if (answer.statusCode() != 200) throw new IllegalStateException("the statistics query answered " + answer.statusCode() + ": " + answer.body());
        long total = new JsonObject(answer.body()).getJsonObject("total").getLong("count", -1L);
        if (Math.abs(total - stored) >= 5) throw new IllegalStateException("the table counts " + total + " of " + stored + " reports");
        if (i == -3) cold = micros;
        if (i >= 0) http20[i] = micros;
      }
      long[] facts = new long[queries];
      for (int i = 0; i < queries; i++) {
        long q0 = System.nanoTime();
        int n = backends.reports().facts(quarter.start(), quarter.end()).await(60, TimeUnit.SECONDS).size();
        facts[i] = (System.nanoTime() - q0) / 1000;
        if (n != stored) throw new IllegalStateException("read " + n + " statistics lines of " + stored);
      }
      System.out.printf("%nGET /api/statistics?period=%s&rows=sex&cols=ageBand over %,d reports (HTTP, analyst's session), first query %.1f ms"
          + " (cold), then 2 more not counted%n", quarter, stored, cold / 1000.0);
      print("the HTTP query", http20);
      print("its read alone (ReportStore.facts: HVALS of the quarter's 3 month hashes, decoded)", facts);

      Map<String, Long> bytes = new TreeMap<>();
      for (String key : check.sync().keys("sathi:stats:*")) {
        bytes.put(key, check.sync().dispatch(CommandType.MEMORY, new IntegerOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("USAGE").addKey(key).add("SAMPLES").add(0)));
      }
      long statsBytes = bytes.values().stream().mapToLong(Long::longValue).sum();
      long used = LoadBench.infoField(check.sync().info("memory"), "used_memory");
      System.out.printf("%nRedis bytes of the statistics hashes (MEMORY USAGE, SAMPLES 0): %,d in all, %.0f per report %s;"
          + " Redis used_memory with the %,d whole reports: %,d (%.0f per report)%n", statsBytes, statsBytes / (double) stored, bytes, stored, used,
          used / (double) stored);
      vertx.close().await(20, TimeUnit.SECONDS); // before Redis stops: no reconnecting at the end
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  static void print(String what, long[] micros) {
    long[] sorted = micros.clone();
    Arrays.sort(sorted);
    System.out.printf("  %-84s %d runs: p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n", what, sorted.length, percentile(sorted, 50) / 1000.0,
        percentile(sorted, 99) / 1000.0, sorted[sorted.length - 1] / 1000.0);
  }

  /** The nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The quarter before the one {@code now} is in: the latest a table may be published for. */
  static Period lastEndedQuarter(Instant now) {
    LocalDate d = LocalDate.ofInstant(now, ZoneOffset.UTC).minusMonths(3);
    return Period.parse(d.getYear() + "-Q" + ((d.getMonthValue() - 1) / 3 + 1));
  }
}
