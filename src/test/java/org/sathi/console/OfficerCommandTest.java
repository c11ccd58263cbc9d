package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.testing.MutableClock;

/** {@code ./sathi officer add|reset|disable}: a password comes from standard input and goes nowhere else; each change is audited. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OfficerCommandTest {
  static final String PASSWORD = "tea-garden-sylhet-2026";

  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  MutableClock clock;
  MemoryOfficerAccounts accounts;
  MemoryConsoleSessions sessions;
  MemoryAudit audit;
  ByteArrayOutputStream printed;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(T0);
    accounts = new MemoryOfficerAccounts(new Passwords(Passwords.Cost.MINIMUM));
    sessions = new MemoryConsoleSessions(clock);
    audit = new MemoryAudit();
    printed = new ByteArrayOutputStream();
  }

  int run(String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    return OfficerCommand.run(List.of(args), new ConsoleStores(accounts, sessions, audit), clock, in, new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  List<AuditEntry> audited() throws Exception {
    return await(audit.latest(100)).reversed();
  }

  String output() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  @Test
  void addReadsThePasswordFromStandardInputAndNeverPrintsIt() throws Exception {
    assertThat(run(PASSWORD + "\n", "officer", "add", "rahim", "--role", "officer")).isZero();
    assertThat(run("সুরক্ষিত-পাসওয়ার্ড-২০২৬\r\n", "add", "sultana", "--role=supervisor")).isZero();
    assertThat(await(accounts.verify("rahim", PASSWORD))).contains(new Officer("rahim", Officer.Role.OFFICER));
    assertThat(await(accounts.verify("sultana", "সুরক্ষিত-পাসওয়ার্ড-২০২৬"))).contains(new Officer("sultana", Officer.Role.SUPERVISOR));
    assertThat(output()).contains("Added officer rahim").contains("Added supervisor sultana")
        .doesNotContain(PASSWORD).doesNotContain("সুরক্ষিত");
  }

  @Test
  void aShortOrMissingPasswordAddsNobody() throws Exception {
    assertThat(run("eleven-char\n", "add", "rahim", "--role", "officer")).isEqualTo(1);
    assertThat(run("", "add", "rahim", "--role", "officer")).isEqualTo(1);
    assertThat(run("x".repeat(Passwords.MAX_LENGTH + 1) + "\n", "add", "rahim", "--role", "officer")).isEqualTo(1);
    assertThat(await(accounts.find("rahim"))).isEmpty();
    assertThat(output()).doesNotContain("eleven-char");
  }

  @Test
  void aTakenNameIsNotChanged() throws Exception {
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "officer")).isZero();
    assertThat(run("a-new-password-for-rahim\n", "add", "rahim", "--role", "supervisor")).isEqualTo(1);
    assertThat(await(accounts.verify("rahim", PASSWORD))).contains(new Officer("rahim", Officer.Role.OFFICER));
  }

  @Test
  void wrongUsageIsExitStatus2() {
    assertThat(run(PASSWORD + "\n")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "add", "rahim")).as("no role").isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "admin")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "add", "--role", "officer")).as("no name").isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "rename", "rahim")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "reset")).as("no name").isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "reset", "rahim", "karima")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "disable")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "disable", "--now")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "add", "Rahim Uddin", "--role", "officer")).as("not a name").isNotZero();
    assertThat(output()).contains("usage").contains("officer reset NAME").doesNotContain(PASSWORD);
  }

  @Test
  void disableStopsLoginsEndsTheSessionsAndSaysWhenThereIsNobodyToDisable() throws Exception {
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "officer")).isZero();
    ConsoleSession rahim = await(sessions.create("rahim"));
    ConsoleSession karima = await(sessions.create("karima"));
    assertThat(run("", "officer", "disable", "rahim")).isZero();
    assertThat(await(accounts.verify("rahim", PASSWORD))).isEmpty();
    assertThat(await(sessions.touch(rahim.id()))).as("rahim's session ended").isEmpty();
    assertThat(await(sessions.touch(karima.id()))).isPresent();
    assertThat(run("", "disable", "nobody")).isEqualTo(1);
    assertThat(output()).contains("Disabled rahim").contains("no officer called nobody");
    assertThat(audited()).containsExactly(
        new AuditEntry(T0, "operator", "officer-add", null, "ok"),
        new AuditEntry(T0, "operator", "officer-disable", null, "ok"));
  }

  @Test
  void resetSetsANewPasswordFromStandardInputAndEndsTheOfficersSessions() throws Exception {
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "supervisor")).isZero();
    ConsoleSession first = await(sessions.create("rahim"));
    ConsoleSession second = await(sessions.create("rahim"));
    ConsoleSession karima = await(sessions.create("karima"));
    clock.advance(java.time.Duration.ofMinutes(3));
    assertThat(run("a-new-password-for-rahim\n", "officer", "reset", "rahim")).isZero();
    assertThat(await(accounts.verify("rahim", PASSWORD))).as("the old password").isEmpty();
    assertThat(await(accounts.verify("rahim", "a-new-password-for-rahim"))).contains(new Officer("rahim", Officer.Role.SUPERVISOR));
    assertThat(await(sessions.touch(first.id()))).isEmpty();
    assertThat(await(sessions.touch(second.id()))).isEmpty();
    assertThat(await(sessions.touch(karima.id()))).as("only rahim's").isPresent();
    assertThat(output()).contains("new password for rahim").contains("ended their open console sessions")
        .doesNotContain(PASSWORD).doesNotContain("a-new-password-for-rahim");
    assertThat(audited()).containsExactly(
        new AuditEntry(T0, "operator", "officer-add", null, "ok"),
        new AuditEntry(T0.plusSeconds(180), "operator", "officer-reset", null, "ok"));
  }

  @Test
  void aResetThatCannotBeDoneChangesNothing() throws Exception {
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "officer")).isZero();
    ConsoleSession session = await(sessions.create("rahim"));
    assertThat(run("eleven-char\n", "reset", "rahim")).isEqualTo(1);
    assertThat(run("", "reset", "rahim")).isEqualTo(1);
    assertThat(run("x".repeat(Passwords.MAX_LENGTH + 1) + "\n", "reset", "rahim")).isEqualTo(1);
    assertThat(run("a-new-password-for-nobody\n", "reset", "nobody")).isEqualTo(1);
    assertThat(run("a-new-password-for-rahim\n", "reset", "Rahim Uddin")).isEqualTo(1);
    assertThat(await(accounts.verify("rahim", PASSWORD))).isPresent();
    assertThat(await(sessions.touch(session.id()))).isPresent();
    assertThat(await(accounts.find("nobody"))).isEmpty();
    assertThat(output()).contains("no officer called nobody").doesNotContain("eleven-char").doesNotContain("a-new-password");
    assertThat(audited()).extracting(AuditEntry::action).containsExactly("officer-add");
  }

  @Test
  void aFailedAddIsNotAudited() throws Exception {
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "officer")).isZero();
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "officer")).isEqualTo(1);
    assertThat(run("short\n", "add", "karima", "--role", "officer")).isEqualTo(1);
    assertThat(audited()).extracting(AuditEntry::action).containsExactly("officer-add");
  }

  @Test
  void whenTheAuditCannotBeWrittenTheCommandSaysWhatWasDoneAndFails() throws Exception {
    Audit broken = new Audit() {
      @Override
      public io.vertx.core.Future<Void> append(AuditEntry entry) {
        return io.vertx.core.Future.failedFuture(new IllegalStateException("the audit log is read-only"));
      }

      @Override
      public io.vertx.core.Future<List<AuditEntry>> latest(int limit) {
        return io.vertx.core.Future.succeededFuture(List.of());
      }
    };
    InputStream in = new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
    int status = OfficerCommand.run(List.of("add", "rahim", "--role", "officer"), new ConsoleStores(accounts, sessions, broken), clock, in,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(1);
    assertThat(await(accounts.find("rahim"))).isPresent();
    assertThat(output()).contains("Added officer rahim, but the audit log entry could not be written").doesNotContain(PASSWORD);
  }
}
