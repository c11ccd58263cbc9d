package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxTestContext;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.sathi.duty.Escalation;
import org.sathi.duty.Roster;
import org.sathi.redis.RedisConnection;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Priority;
import org.sathi.report.Report;
import org.sathi.testing.TestRedis;

/** The console stores' contract on a real redis-server of its own (TestRedis), and the keys they use there. */
@Tag("integration")
class ConsoleStoresIT extends ConsoleStoresContract {
  static TestRedis redis;
  RedisOfficerAccounts accounts;
  RedisConsoleSessions sessions;
  RedisAudit audit;
  RedisConnection connection;
  Vertx vertx;
  StatefulRedisConnection<String, String> check;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void fresh() {
    redis.flush();
    vertx = redis.vertx;
    connection = redis.connection;
    check = redis.check;
    accounts = new RedisOfficerAccounts(connection, new Passwords(Passwords.Cost.MINIMUM));
    sessions = new RedisConsoleSessions(connection, clock);
    audit = new RedisAudit(connection);
  }

  @Override
  Vertx vertx() {
    return vertx;
  }

  @Override
  OfficerAccounts accounts() {
    return accounts;
  }

  @Override
  ConsoleSessions sessions() {
    return sessions;
  }

  @Override
  Audit audit() {
    return audit;
  }

  @Override
  String storedAccount(String name) {
    var all = check.sync().hgetall("sathi:officer:{" + name + "}");
    return all.isEmpty() ? null : all.toString();
  }

  @Override
  OfficerAccounts accountsCosting(Passwords.Cost cost) {
    accounts = new RedisOfficerAccounts(connection, new Passwords(cost));
    return accounts;
  }

  @Override
  String storedHash(String name) {
    return check.sync().hget("sathi:officer:{" + name + "}", "password");
  }

  @Override
  void plantHash(String name, String hash) {
    check.sync().hset("sathi:officer:{" + name + "}", "password", hash);
  }

  @Test
  void accountsSessionsAndTheAuditLiveUnderTheirOwnKeys() {
    await(accounts.add("rahim", Officer.Role.SUPERVISOR, PASSWORD));
    ConsoleSession s = await(sessions.create("rahim"));
    await(sessions.admitLogin("karima", ADDRESS));
    await(audit.append(new AuditEntry(T0, "rahim", "login", null, "ok")));

    assertThat(check.sync().hgetall("sathi:officer:{rahim}")).containsEntry("role", "supervisor").containsEntry("disabled", "0")
        .containsKey("password");
    assertThat(check.sync().pttl("sathi:officer:{rahim}")).as("accounts do not expire").isEqualTo(-1L);

    String sessionKey = RedisConsoleSessions.key(s.id());
    assertThat(sessionKey).startsWith("sathi:console:session:{").doesNotContain(s.id());
    assertThat(check.sync().hgetall(sessionKey)).containsEntry("officer", "rahim").containsEntry("csrf", s.csrfToken());
    assertThat(check.sync().pttl(sessionKey)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(30).toMillis());
    assertThat(String.join(" ", check.sync().keys("*"))).as("the cookie value is not a key").doesNotContain(s.id())
        .as("nor is the address").doesNotContain(ADDRESS);

    assertThat(check.sync().pttl("sathi:console:failures:{karima}")).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15).toMillis());
    String addressKey = "sathi:console:address-failures:{" + ConsoleSessions.addressDigest(ADDRESS) + "}";
    assertThat(ConsoleSessions.addressDigest(ADDRESS)).matches("[0-9a-f]{32}");
    assertThat(check.sync().pttl(addressKey)).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15).toMillis());
    assertThat(check.sync().zrange(addressKey, 0, -1)).hasSize(1).noneMatch(member -> member.contains(ADDRESS));
    assertThat(check.sync().pttl("sathi:console:sessions:{rahim}")).as("the officer's session list")
        .isPositive().isLessThanOrEqualTo(Duration.ofHours(12).toMillis());
    assertThat(check.sync().smembers("sathi:console:sessions:{rahim}")).containsExactly(sessionKey);
    assertThat(check.sync().type(RedisAudit.STREAM)).isEqualTo("stream");
    assertThat(check.sync().xlen(RedisAudit.STREAM)).isEqualTo(1L);

    await(sessions.end(s.id()));
    assertThat(check.sync().exists(sessionKey)).isZero();
    assertThat(check.sync().exists("sathi:console:sessions:{rahim}")).as("the last one left the list").isZero();
  }

  @Test
  void theOfficersSessionListFollowsTheirSessionsAndEndAllClearsItAtOnce() {
    ConsoleSession expiring = await(sessions.create("rahim"));
    clock.advance(Duration.ofMinutes(31));
    ConsoleSession a = await(sessions.create("rahim"));
    ConsoleSession b = await(sessions.create("rahim"));
    ConsoleSession karima = await(sessions.create("karima"));
    String index = "sathi:console:sessions:{rahim}";
    assertThat(check.sync().smembers(index)).hasSize(3);
    assertThat(await(sessions.peek(expiring.id()))).isEmpty();
    assertThat(check.sync().smembers(index)).as("an expiry seen by peek").containsExactlyInAnyOrder(RedisConsoleSessions.key(a.id()),
        RedisConsoleSessions.key(b.id()));

    check.sync().del(RedisConsoleSessions.key(b.id())); // as when Redis drops an abandoned session at its TTL
    ConsoleSession c = await(sessions.create("rahim"));
    assertThat(check.sync().smembers(index)).as("a stale member is dropped at the next login")
        .containsExactlyInAnyOrder(RedisConsoleSessions.key(a.id()), RedisConsoleSessions.key(c.id()));

    await(sessions.endAll("rahim"));
    assertThat(check.sync().exists(index, RedisConsoleSessions.key(a.id()), RedisConsoleSessions.key(c.id()))).isZero();
    assertThat(check.sync().exists(RedisConsoleSessions.key(karima.id()))).isOne();
    assertThat(check.sync().smembers("sathi:console:sessions:{karima}")).containsExactly(RedisConsoleSessions.key(karima.id()));
  }

  @Test
  void aSessionFromBeforeTheListJoinsItAtItsNextRequestAndEndAllThenEndsIt() {
    String id = ConsoleSessions.newToken();
    String key = RedisConsoleSessions.key(id);
    String now = String.valueOf(T0.toEpochMilli());
    check.sync().hset(key, Map.of("officer", "rahim", "csrf", ConsoleSessions.newToken(), "created", now, "seen", now));
    check.sync().pexpire(key, Duration.ofMinutes(30).toMillis());
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(sessions.touch(id))).isPresent();
    assertThat(check.sync().smembers("sathi:console:sessions:{rahim}")).containsExactly(key);
    assertThat(check.sync().pttl("sathi:console:sessions:{rahim}")).isPositive();
    await(sessions.endAll("rahim"));
    assertThat(await(sessions.touch(id))).isEmpty();
  }

  @Test
  void endAllDeletesOnlySessionKeys() {
    check.sync().set("sathi:officer:{karima}-not-a-session", "x");
    check.sync().sadd("sathi:console:sessions:{rahim}", "sathi:officer:{karima}-not-a-session");
    await(sessions.endAll("rahim"));
    assertThat(check.sync().exists("sathi:officer:{karima}-not-a-session")).isOne();
    assertThat(check.sync().exists("sathi:console:sessions:{rahim}")).isZero();
  }

  @Test
  void anExpiredSessionIsDeletedFromRedis() {
    ConsoleSession s = await(sessions.create("rahim"));
    clock.advance(Duration.ofMinutes(31));
    assertThat(await(sessions.touch(s.id()))).isEmpty();
    assertThat(check.sync().exists(RedisConsoleSessions.key(s.id()))).isZero();
  }

  @Test
  void sessionLookupsAnswerOnTheCallersContext() throws Throwable {
    ConsoleSession s = await(sessions.create("rahim"));
    VertxTestContext test = new VertxTestContext();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> sessions.touch(s.id()).onComplete(test.succeeding(found -> test.verify(() -> {
      assertThat(found).isPresent();
      assertThat(Vertx.currentContext()).isSameAs(context);
      test.completeNow();
    }))));
    assertThat(test.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    if (test.failed()) throw test.causeOfFailure();
  }

  @Test
  void theApiWorksOnTheRedisStores() throws Exception {
    await(accounts.add("rahim", Officer.Role.OFFICER, PASSWORD));
    MemoryReportStore reports = new MemoryReportStore();
    Escalation escalation = new Escalation(reports, new Roster(Map.of(), List.of()),
        (officer, text) -> Future.succeededFuture(), clock, Escalation.Settings.defaults(), new SimpleMeterRegistry());
    await(reports.create(new Report("ACDE-FGHJ", "report", "sms", "bn", T0, "ck-1", null, Map.of(), List.of(),
        Priority.P1, Report.Status.NEW, null, null, 0, null), List.of(), "", Optional.empty()));
    Router router = Router.router(vertx);
    new ConsoleApi(reports, escalation, accounts, sessions, audit, clock, false).mount(router);
    int port = await(vertx.createHttpServer().requestHandler(router).listen(0)).actualPort();
    CookieManager cookies = new CookieManager();
    HttpClient http = HttpClient.newBuilder().cookieHandler(cookies).build();
    BiFunction<String, String, HttpRequest.Builder> request = (method, path) -> HttpRequest
        .newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(method.equals("POST") && path.equals("/api/session")
            ? "{\"username\":\"rahim\",\"password\":\"" + PASSWORD + "\"}" : ""));
    var text = HttpResponse.BodyHandlers.ofString();

    assertThat(http.send(request.apply("POST", "/api/session").build(), text).statusCode()).isEqualTo(200);
    String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst().orElseThrow().getValue();
    assertThat(http.send(request.apply("GET", "/api/reports?status=open").build(), text).body()).contains("ACDE-FGHJ");
    assertThat(http.send(request.apply("POST", "/api/reports/ACDE-FGHJ/claim").build(), text).statusCode()).as("no CSRF token").isEqualTo(403);
    assertThat(http.send(request.apply("POST", "/api/reports/ACDE-FGHJ/claim").header("X-XSRF-TOKEN", csrf).build(), text).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(31));
    assertThat(http.send(request.apply("GET", "/api/reports").build(), text).statusCode()).as("idle for 31 minutes").isEqualTo(401);
    assertThat(await(audit.latest(10))).extracting(AuditEntry::action).containsExactly("claim", "csrf", "list", "login");
  }

  @Test
  void theAuditAlsoShowsErasuresThatTheReportStoreWrote() {
    org.sathi.report.RedisReportStore reports = new org.sathi.report.RedisReportStore(connection);
    await(reports.create(new Report("ACDE-FGHJ", "report", "sms", "bn", T0, "ck-1", null, Map.of(), List.of(),
        Priority.P3, Report.Status.NEW, null, null, 0, null), List.of(), "", Optional.empty()));
    await(audit.append(new AuditEntry(T0, "rahim", "view", "ACDE-FGHJ", "ok")));
    assertThat(await(reports.erase("ACDE-FGHJ", "sathi", "retention", T0.plusSeconds(60)))).isTrue();
    assertThat(await(audit.latest(10))).containsExactly(
        new AuditEntry(T0.plusSeconds(60), "sathi", "erased", "ACDE-FGHJ", "retention"),
        new AuditEntry(T0, "rahim", "view", "ACDE-FGHJ", "ok"));
  }
}
