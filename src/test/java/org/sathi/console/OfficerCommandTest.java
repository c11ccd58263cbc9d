package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ./sathi officer add|disable}: the password comes from standard input and goes nowhere else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OfficerCommandTest {
  static final String PASSWORD = "tea-garden-sylhet-2026";

  MemoryOfficerAccounts accounts;
  ByteArrayOutputStream printed;

  @BeforeEach
  void setUp() {
    accounts = new MemoryOfficerAccounts(new Passwords(Passwords.MIN_ITERATIONS));
    printed = new ByteArrayOutputStream();
  }

  int run(String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    return OfficerCommand.run(List.of(args), accounts, in, new PrintStream(printed, true, StandardCharsets.UTF_8));
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
    assertThat(run(PASSWORD + "\n", "reset", "rahim")).isEqualTo(2);
    assertThat(run(PASSWORD + "\n", "add", "Rahim Uddin", "--role", "officer")).as("not a name").isNotZero();
    assertThat(output()).contains("usage").doesNotContain(PASSWORD);
  }

  @Test
  void disableStopsLoginsAndSaysWhenThereIsNobodyToDisable() throws Exception {
    assertThat(run(PASSWORD + "\n", "add", "rahim", "--role", "officer")).isZero();
    assertThat(run("", "officer", "disable", "rahim")).isZero();
    assertThat(await(accounts.verify("rahim", PASSWORD))).isEmpty();
    assertThat(run("", "disable", "nobody")).isEqualTo(1);
    assertThat(output()).contains("Disabled rahim").contains("no officer called nobody");
  }
}
