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
  static final String ADDRESS = "192.0.2.10";
  static final String OTHER_ADDRESS = "2001:db8::7";

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

  /** From now on, {@link #accounts()} hashes new passwords at this cost (over the same stored accounts where the store is shared). */
  abstract OfficerAccounts accountsCosting(Passwords.Cost cost);

  /** The stored password hash of an account, as it is kept. */
  abstract String storedHash(String name);

  /** Puts a stored hash in place, as an older release would have left it. */
  abstract void plantHash(String name, String hash);

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
  void aPasswordIsKeptOnlyAsASaltedArgon2idHashInThePhcForm() {
    await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD));
    await(accounts().add("karima", Officer.Role.OFFICER, PASSWORD));
    String rahim = storedAccount("rahim");
    String karima = storedAccount("karima");
    assertThat(rahim).doesNotContain(PASSWORD).contains("$argon2id$v=19$m=7168,t=5,p=1$");
    String[] parts = hashIn(rahim).split("\\$");
    assertThat(hashIn(rahim)).as("same password, different salt").isNotEqualTo(hashIn(karima));
    assertThat(Base64.getDecoder().decode(parts[4])).as("salt").hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).as("hash").hasSize(32);
  }

  static String hashIn(String stored) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$argon2id\\$v=19\\$m=[0-9]+,t=[0-9]+,p=[0-9]+\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+")
        .matcher(stored);
    assertThat(m.find()).as("a stored hash in " + stored).isTrue();
    return m.group();
  }

  @Test
  void aResetPasswordReplacesTheOldOneAndLeavesTheRestAsItWas() {
    await(accounts().add("rahim", Officer.Role.SUPERVISOR, PASSWORD));
    await(accounts().add("karima", Officer.Role.OFFICER, "karima-own-password"));
    String before = storedHash("rahim");
    assertThat(await(accounts().resetPassword("rahim", "a-brand-new-passphrase"))).isTrue();
    assertThat(storedHash("rahim")).isNotEqualTo(before).startsWith("$argon2id$").doesNotContain("a-brand-new-passphrase");
    assertThat(await(accounts().verify("rahim", PASSWORD))).as("the old password").isEmpty();
    assertThat(await(accounts().verify("rahim", "a-brand-new-passphrase"))).contains(new Officer("rahim", Officer.Role.SUPERVISOR));
    assertThat(await(accounts().verify("karima", "karima-own-password"))).as("nobody else's").isPresent();
    assertThat(await(accounts().resetPassword("nobody", "a-brand-new-passphrase"))).isFalse();
    assertThat(await(accounts().resetPassword("Not A Name!", "a-brand-new-passphrase"))).isFalse();
    assertThat(await(accounts().find("nobody"))).as("a reset creates nobody").isEmpty();
    assertThat(rootCause(catchThrowable(() -> await(accounts().resetPassword("rahim", "short-pass1"))))).isInstanceOf(IllegalArgumentException.class);
    assertThat(await(accounts().verify("rahim", "a-brand-new-passphrase"))).as("a refused reset changes nothing").isPresent();
  }

  @Test
  void aResetDoesNotEnableADisabledAccount() {
    await(accounts().add("rahim", Officer.Role.OFFICER, PASSWORD));
    await(accounts().disable("rahim"));
    assertThat(await(accounts().resetPassword("rahim", "a-brand-new-passphrase"))).isTrue();
    assertThat(await(accounts().verify("rahim", "a-brand-new-passphrase"))).isEmpty();
    assertThat(await(accounts().find("rahim"))).isEmpty();
  }

  @Test
  void aPbkdf2HashFromAnEarlierReleaseStillLogsInAndIsReplacedByArgon2id() throws Exception {
    await(accounts().add("rahim", Officer.Role.OFFICER, "placeholder-password"));
    String legacy = PasswordsTest.pbkdf2(PASSWORD, 210_000);
    plantHash("rahim", legacy);
    assertThat(await(accounts().verify("rahim", PASSWORD + "x"))).isEmpty();
    assertThat(storedHash("rahim")).as("a failed login changes nothing").isEqualTo(legacy);
    assertThat(await(accounts().verify("rahim", PASSWORD))).contains(new Officer("rahim", Officer.Role.OFFICER));
    String upgraded = storedHash("rahim");
    assertThat(upgraded).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
    assertThat(await(accounts().verify("rahim", PASSWORD))).as("the fresh hash").isPresent();
    assertThat(storedHash("rahim")).as("no second rehash").isEqualTo(upgraded);
    assertThat(await(accounts().verify("rahim", "placeholder-password"))).isEmpty();
  }

  @Test
  void aHashOfALowerArgon2CostIsRedoneAtTheCurrentCostAfterALogin() {
    OfficerAccounts stronger = accountsCosting(Passwords.Cost.DEFAULT);
    await(stronger.add("rahim", Officer.Role.OFFICER, "placeholder-password"));
    String cheap = Passwords.hashNow(PASSWORD, Passwords.Cost.MINIMUM);
    plantHash("rahim", cheap);
    assertThat(await(stronger.verify("rahim", PASSWORD))).isPresent();
    assertThat(storedHash("rahim")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(await(stronger.verify("rahim", PASSWORD))).isPresent();
  }

  @Test
  void aDisabledAccountsOldHashIsNotUpgraded() throws Exception {
    await(accounts().add("rahim", Officer.Role.OFFICER, "placeholder-password"));
    String legacy = PasswordsTest.pbkdf2(PASSWORD, 210_000);
    plantHash("rahim", legacy);
    await(accounts().disable("rahim"));
    assertThat(await(accounts().verify("rahim", PASSWORD))).isEmpty();
    assertThat(storedHash("rahim")).isEqualTo(legacy);
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
      assertThat(await(sessions().admitLogin("rahim", ADDRESS))).as("attempt %d", i + 1).isTrue();
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).isFalse();
    assertThat(await(sessions().admitLogin("karima", ADDRESS))).as("per account").isTrue();
    clock.advance(Duration.ofMinutes(10)); // 15 min after the first attempt
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).as("the first attempt left the window").isTrue();
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).as("the second one is still in it").isFalse();
  }

  @Test
  void refusedAttemptsDoNotExtendTheLockAndASuccessClearsTheCount() {
    for (int i = 0; i < 5; i++) assertThat(await(sessions().admitLogin("rahim", ADDRESS))).isTrue();
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMinutes(1));
      assertThat(await(sessions().admitLogin("rahim", ADDRESS))).isFalse();
    }
    clock.advance(Duration.ofMinutes(5));
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).isTrue();
    await(sessions().loginSucceeded("rahim", ADDRESS));
    for (int i = 0; i < 5; i++) assertThat(await(sessions().admitLogin("rahim", ADDRESS))).as("after a success, attempt %d", i + 1).isTrue();
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).isFalse();
  }

  @Test
  void peekFindsASessionWithoutKeepingItAlive() {
    ConsoleSession s = await(sessions().create("rahim"));
    clock.advance(Duration.ofMinutes(20));
    ConsoleSession peeked = await(sessions().peek(s.id())).orElseThrow();
    assertThat(peeked.officer()).isEqualTo("rahim");
    assertThat(peeked.csrfToken()).isEqualTo(s.csrfToken());
    assertThat(peeked.createdAt()).isEqualTo(T0);
    assertThat(peeked.lastSeen()).as("not marked used").isEqualTo(T0);
    clock.advance(Duration.ofMinutes(9)); // 29 min without a request, however many peeks
    assertThat(await(sessions().peek(s.id()))).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(sessions().peek(s.id()))).as("idle for 30 minutes").isEmpty();
    clock.advance(Duration.ofMinutes(-5));
    assertThat(await(sessions().touch(s.id()))).as("the expired session was deleted").isEmpty();
  }

  @Test
  void peekSeesTheLastRequestAndTheAbsoluteTimeout() {
    ConsoleSession s = await(sessions().create("rahim"));
    for (int i = 0; i < 28; i++) {
      clock.advance(Duration.ofMinutes(25));
      await(sessions().touch(s.id()));
    }
    Instant lastRequest = clock.instant();
    clock.advance(Duration.ofMinutes(10));
    assertThat(await(sessions().peek(s.id()))).map(ConsoleSession::lastSeen).contains(lastRequest);
    clock.advance(Duration.ofMinutes(10)); // 12 h after login
    assertThat(await(sessions().peek(s.id()))).isEmpty();
    assertThat(await(sessions().peek(ConsoleSessions.newToken()))).isEmpty();
    assertThat(await(sessions().peek("not-a-session"))).isEmpty();
    assertThat(await(sessions().peek(null))).isEmpty();
  }

  @Test
  void endAllEndsEverySessionOfThatOfficerOnly() {
    ConsoleSession first = await(sessions().create("rahim"));
    ConsoleSession second = await(sessions().create("rahim"));
    ConsoleSession karima = await(sessions().create("karima"));
    await(sessions().touch(first.id()));
    await(sessions().endAll("rahim"));
    assertThat(await(sessions().touch(first.id()))).isEmpty();
    assertThat(await(sessions().peek(second.id()))).isEmpty();
    assertThat(await(sessions().touch(karima.id()))).isPresent();
    await(sessions().endAll("rahim"));
    await(sessions().endAll("nobody"));
    ConsoleSession after = await(sessions().create("rahim"));
    assertThat(await(sessions().touch(after.id()))).as("a login after the end works").isPresent();
    assertThat(await(sessions().touch(karima.id()))).isPresent();
  }

  @Test
  void endAllAlsoEndsSessionsThatWereLoggedOutOrExpiredAmongLiveOnes() {
    ConsoleSession old = await(sessions().create("rahim"));
    clock.advance(Duration.ofMinutes(31));
    ConsoleSession loggedOut = await(sessions().create("rahim"));
    ConsoleSession live = await(sessions().create("rahim"));
    assertThat(await(sessions().touch(old.id()))).isEmpty();
    await(sessions().end(loggedOut.id()));
    await(sessions().endAll("rahim"));
    assertThat(await(sessions().touch(live.id()))).isEmpty();
  }

  @Test
  void twentyAttemptsFromOneAddressRefuseItAnyNameForTheWindow() {
    for (int i = 0; i < 20; i++) {
      assertThat(await(sessions().admitLogin("officer" + i, ADDRESS))).as("attempt %d", i + 1).isTrue();
      clock.advance(Duration.ofSeconds(30));
    }
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).as("a name never tried, from the same address").isFalse();
    assertThat(await(sessions().admitLogin("rahim", OTHER_ADDRESS))).as("per address").isTrue();
    for (int i = 0; i < 4; i++) assertThat(await(sessions().admitLogin("rahim", OTHER_ADDRESS))).as("the refusal counted nothing for rahim").isTrue();
    assertThat(await(sessions().admitLogin("rahim", OTHER_ADDRESS))).isFalse();
    clock.advance(Duration.ofMinutes(5)); // 15 min after the first attempt from ADDRESS
    assertThat(await(sessions().admitLogin("karima", ADDRESS))).as("the first attempt left the window").isTrue();
    assertThat(await(sessions().admitLogin("karima", ADDRESS))).isFalse();
  }

  @Test
  void anAccountAtItsLimitCountsNothingForTheAddressAndASuccessForgetsOnlyTheAccount() {
    for (int i = 0; i < 5; i++) assertThat(await(sessions().admitLogin("rahim", ADDRESS))).isTrue();
    for (int i = 0; i < 30; i++) assertThat(await(sessions().admitLogin("rahim", OTHER_ADDRESS))).isFalse();
    for (int i = 0; i < 20; i++) assertThat(await(sessions().admitLogin("name" + i, OTHER_ADDRESS))).as("refusals counted nothing: %d", i + 1).isTrue();
    assertThat(await(sessions().admitLogin("karima", OTHER_ADDRESS))).isFalse();
    await(sessions().loginSucceeded("rahim", ADDRESS));
    for (int i = 0; i < 16; i++) assertThat(await(sessions().admitLogin("karima" + i, ADDRESS))).as("attempt %d from ADDRESS", i + 5).isTrue();
    assertThat(await(sessions().admitLogin("rahim", ADDRESS))).as("the address still counts the four failures before the success").isFalse();
    assertThat(await(sessions().admitLogin("rahim", "198.51.100.4"))).as("the account's count was forgotten").isTrue();
  }

  @Test
  void officersLoggingInFromOneOfficeAddressAreNeverLockedOut() {
    for (int i = 0; i < 60; i++) {
      String officer = "officer" + (i % 30);
      assertThat(await(sessions().admitLogin(officer, ADDRESS))).as("login %d", i + 1).isTrue();
      await(sessions().loginSucceeded(officer, ADDRESS));
    }
    for (int i = 0; i < 20; i++) assertThat(await(sessions().admitLogin("guess" + i, ADDRESS))).as("failure %d", i + 1).isTrue();
    assertThat(await(sessions().admitLogin("guess-more", ADDRESS))).as("failures still count").isFalse();
  }

  @Test
  void withoutAnAddressOnlyTheAccountIsCounted() {
    for (int i = 0; i < 5; i++) assertThat(await(sessions().admitLogin("rahim", null))).isTrue();
    assertThat(await(sessions().admitLogin("rahim", null))).isFalse();
    for (int i = 0; i < 30; i++) assertThat(await(sessions().admitLogin("name" + i, null))).isTrue();
    assertThat(await(sessions().admitLogin("karima", ADDRESS))).isTrue();
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
