package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.testing.MutableClock;

/** What the console's stores promise (accounts, sessions with the login throttle, the audit log); run against memory and Redis. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class ConsoleStoresContract {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String PASSWORD = "kite-river-lantern-42";

  MutableClock clock;

  @BeforeEach
  void freshClock() {
    clock = new MutableClock(T0);
  }

  abstract Vertx vertx();

  abstract OfficerAccounts accounts();

  abstract ConsoleSessions sessions();

  abstract Audit audit();

  /** Everything the store keeps about one account, as someone reading a dump would see it; null when nothing. */
  abstract String storedAccount(String name);

  static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the store did not answer within 20 s", e);
    }
  }

  // ---- accounts

  @Test
  void anOfficerLogsInWithTheirOwnPasswordOnly() {
    assertThat(await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD))).isTrue();
    assertThat(await(accounts().add("sultana", Officer.Role.SUPERVISOR, "another-long-password"))).isTrue();
    assertThat(await(accounts().verify("rahim", PASSWORD))).contains(new Officer("rahim", Officer.Role.OFFICER));
    assertThat(await(accounts().verify("sultana", "another-long-password"))).contains(new Officer("sultana", Officer.Role.SUPERVISOR));
    assertThat(await(accounts().verify("rahim", PASSWORD + "x"))).isEmpty();
    assertThat(await(accounts().verify("rahim", "another-long-password"))).as("someone else's password").isEmpty();
    assertThat(await(accounts().verify("nobody", PASSWORD))).isEmpty();
    assertThat(await(accounts().verify("Not A Name!", PASSWORD))).isEmpty();
    assertThat(await(accounts().find("rahim"))).contains(new Officer("rahim", Officer.Role.OFFICER));
    assertThat(await(accounts().find("nobody"))).isEmpty();
  }

  @Test
  void aNameIsTakenOnceAndTheFirstAccountStands() {
    assertThat(await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD))).isTrue();
    assertThat(await(accounts().add("rahim", Officer.Role.SUPERVISOR, "a-different-password"))).isFalse();
    assertThat(await(accounts().verify("rahim", PASSWORD))).contains(new Officer("rahim", Officer.Role.OFFICER));
    assertThat(await(accounts().verify("rahim", "a-different-password"))).isEmpty();
  }

  @Test
  void aDisabledOfficerCanNeitherLogInNorBeFound() {
    await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD));
    assertThat(await(accounts().disable("rahim"))).isTrue();
    assertThat(await(accounts().verify("rahim", PASSWORD))).isEmpty();
    assertThat(await(accounts().find("rahim"))).isEmpty();
    assertThat(await(accounts().disable("nobody"))).isFalse();
    assertThat(await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD))).as("a disabled name is still taken").isFalse();
  }

  @Test
  void aPasswordIsKeptOnlyAsASaltedSlowHashThatNamesItsScheme() {
    await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD));
    await(accounts().add("karima", Officer.Role.OFFICER, PASSWORD));
    String rahim = storedAccount("rahim");
    String karima = storedAccount("karima");
    assertThat(rahim).doesNotContain(PASSWORD).contains(Passwords.ALGORITHM + "$" + Passwords.MIN_ITERATIONS + "$");
    assertThat(hashIn(rahim)).as("same password, different salt").isNotEqualTo(hashIn(karima));
    assertThat(Base64.getDecoder().decode(hashIn(rahim).split("\\$")[2])).hasSize(16);
  }

  static String hashIn(String stored) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(Passwords.ALGORITHM) + "\\$[0-9]+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+")
        .matcher(stored);
    assertThat(m.find()).as("a stored hash in " + stored).isTrue();
    return m.group();
  }

  @Test
  void badNamesAndShortPasswordsAreRefused() {
    assertThat(rootCause(catchThrowable(() -> await(accounts().add("Rahim Uddin", Officer.Role.OFFICER, PASSWORD)))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(rootCause(catchThrowable(() -> await(accounts().add("rahim", Officer.Role.OFFICER, "short-pass1")))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(await(accounts().find("rahim"))).isEmpty();
  }

  @Test
  void hashingRunsOffTheEventLoopAndAnswersOnTheCallersContext() throws Throwable {
    // Passwords refuses to hash on an event loop, so this fails if add or verify hashed there.
    VertxTestContext test = new VertxTestContext();
    Context context = vertx().getOrCreateContext();
    context.runOnContext(v -> accounts().add("rahim", Officer.Role.OFFICER, PASSWORD)
        .compose(added -> accounts().verify("rahim", PASSWORD))
        .onComplete(test.succeeding(found -> test.verify(() -> {
          assertThat(found).isPresent();
          assertThat(Vertx.currentContext()).isSameAs(context);
          assertThat(Context.isOnEventLoopThread()).isTrue();
          test.completeNow();
        }))));
    assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
    if (test.failed()) throw test.causeOfFailure();
  }

  // ---- sessions

  @Test
  void aSessionHasA256BitIdAndItsOwnCsrfToken() {
    ConsoleSession a = await(sessions().create("rahim"));
    ConsoleSession b = await(sessions().create("rahim"));
    assertThat(Base64.getUrlDecoder().decode(a.id())).hasSize(32);
    assertThat(Base64.getUrlDecoder().decode(a.csrfToken())).hasSize(32);
    assertThat(a.id()).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken());
    assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken());
    ConsoleSession found = await(sessions().touch(a.id())).orElseThrow();
    assertThat(found.officer()).isEqualTo("rahim");
    assertThat(found.csrfToken()).isEqualTo(a.csrfToken());
    assertThat(found.createdAt()).isEqualTo(T0);
    assertThat(a.toString()).doesNotContain(a.id()).doesNotContain(a.csrfToken());
  }

  @Test
  void aSessionEndsAfterThirtyMinutesWithoutARequest() {
    ConsoleSession s = await(sessions().create("rahim"));
    clock.advance(Duration.ofMinutes(29));
    assertThat(await(sessions().touch(s.id()))).isPresent();
    clock.advance(Duration.ofMinutes(29));
    assertThat(await(sessions().touch(s.id()))).as("each request restarts the idle time").isPresent();
    clock.advance(Duration.ofMinutes(30));
    assertThat(await(sessions().touch(s.id()))).isEmpty();
    clock.advance(Duration.ofMinutes(-20));
    assertThat(await(sessions().touch(s.id()))).as("an expired session is gone for good").isEmpty();
  }

  @Test
  void aSessionEndsTwelveHoursAfterLoginHoweverBusy() {
    ConsoleSession s = await(sessions().create("rahim"));
    for (int i = 0; i < 28; i++) {
      clock.advance(Duration.ofMinutes(25));
      assertThat(await(sessions().touch(s.id()))).as("after %d min", (i + 1) * 25).isPresent();
    }
    clock.advance(Duration.ofMinutes(19)); // 11 h 59 min
    assertThat(await(sessions().touch(s.id()))).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(sessions().touch(s.id()))).isEmpty();
  }

  @Test
  void anEndedOrUnknownSessionIsNotFound() {
    ConsoleSession s = await(sessions().create("rahim"));
    ConsoleSession other = await(sessions().create("karima"));
    await(sessions().end(s.id()));
    assertThat(await(sessions().touch(s.id()))).isEmpty();
    assertThat(await(sessions().touch(other.id()))).as("only that session ends").isPresent();
    await(sessions().end(ConsoleSessions.newToken()));
    assertThat(await(sessions().touch(ConsoleSessions.newToken()))).isEmpty();
    assertThat(await(sessions().touch("not-a-session"))).isEmpty();
    assertThat(await(sessions().touch(null))).isEmpty();
  }

  @Test
  void fiveFailedLoginsWithinFifteenMinutesRefuseTheNextOnes() {
    for (int i = 0; i < 5; i++) {
      assertThat(await(sessions().admitLogin("rahim"))).as("attempt %d", i + 1).isTrue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(await(sessions().admitLogin("rahim"))).isFalse();
    assertThat(await(sessions().admitLogin("karima"))).as("per account").isTrue();
    clock.advance(Duration.ofMinutes(10)); // 15 min after the first attempt
    assertThat(await(sessions().admitLogin("rahim"))).as("the first attempt left the window").isTrue();
    assertThat(await(sessions().admitLogin("rahim"))).as("the second one is still in it").isFalse();
  }

  @Test
  void refusedAttemptsDoNotExtendTheLockAndASuccessClearsTheCount() {
    for (int i = 0; i < 5; i++) assertThat(await(sessions().admitLogin("rahim"))).isTrue();
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(await(sessions().admitLogin("rahim"))).isFalse();
    }
    clock.advance(Duration.ofMinutes(5));
    assertThat(await(sessions().admitLogin("rahim"))).isTrue();
    await(sessions().loginSucceeded("rahim"));
    for (int i = 0; i < 5; i++) assertThat(await(sessions().admitLogin("rahim"))).as("after a success, attempt %d", i + 1).isTrue();
    assertThat(await(sessions().admitLogin("rahim"))).isFalse();
  }

  // ---- audit

  @Test
  void auditEntriesComeBackNewestFirstWithEveryField() {
    AuditEntry login = new AuditEntry(T0, "rahim", "login", null, "ok");
    AuditEntry view = new AuditEntry(T0.plusSeconds(5), "rahim", "view", "ACDE-FGHJ", "ok");
    AuditEntry claim = new AuditEntry(T0.plusSeconds(9), "rahim", "claim", "ACDE-FGHJ", "conflict");
    await(audit().append(login));
    await(audit().append(view));
    await(audit().append(claim));
    assertThat(await(audit().latest(10))).containsExactly(claim, view, login);
    assertThat(await(audit().latest(2))).containsExactly(claim, view);
  }

  @Test
  void theAuditKeepsEveryEntryInOrder() {
    for (int i = 0; i < 50; i++) await(audit().append(new AuditEntry(T0.plusSeconds(i), "rahim", "view", null, "ok")));
    List<AuditEntry> latest = await(audit().latest(100));
    assertThat(latest).hasSize(50);
    assertThat(latest.get(0).at()).isEqualTo(T0.plusSeconds(49));
    assertThat(latest.get(49).at()).isEqualTo(T0);
  }

  static Throwable rootCause(Throwable t) {
    while (t != null && t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t;
  }
}
