package org.sathi.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./sathi officer add NAME --role officer|supervisor|analyst}, {@code ./sathi officer reset NAME} (a
 * new password; the officer's console sessions end) and {@code ./sathi officer disable NAME} (no more
 * logins; the sessions end too). A password is the first line of standard input, never an argument,
 * so it stays out of the shell history and the process list, and it is never printed or logged. Each
 * change is written to the audit log as done by {@code operator}.
 */
public final class OfficerCommand {
  static final long WAIT_SECONDS = 60;
  /** Bytes read from standard input at most: a password is at most {@link Passwords#MAX_LENGTH} characters. */
  static final int MAX_INPUT_BYTES = Passwords.MAX_LENGTH * 4 + 2;
  /** Who the audit log names for changes made on the command line. */
  static final String OPERATOR = "operator";

  private OfficerCommand() {}

  /**
   * Runs the command; {@code args} are what follows {@code officer} on the command line (a leading
   * {@code officer} is skipped). Returns the exit status: 0 done, 1 refused or failed, 2 usage.
   */
  public static int run(List<String> args, ConsoleStores stores, Clock clock, InputStream stdin, PrintStream out) {
    List<String> a = new ArrayList<>(args);
    if (!a.isEmpty() && a.get(0).equals("officer")) a.remove(0);
    if (a.isEmpty()) return usage(out);
    List<String> rest = a.subList(1, a.size());
    return switch (a.get(0)) {
      case "add" -> add(rest, stores, clock, stdin, out);
      case "reset" -> reset(rest, stores, clock, stdin, out);
      case "disable" -> disable(rest, stores, clock, out);
      default -> usage(out);
    };
  }

  private static int usage(PrintStream out) {
    out.println("""
        usage: ./sathi officer add NAME --role officer|supervisor|analyst   (reads the password, at least %d characters, from standard input)
               ./sathi officer reset NAME     (reads the new password from standard input; ends the officer's console sessions)
               ./sathi officer disable NAME   (no more logins; ends the officer's console sessions)""".formatted(Passwords.MIN_LENGTH));
    return 2;
  }

  private static int add(List<String> args, ConsoleStores stores, Clock clock, InputStream stdin, PrintStream out) {
    String name = null;
    Officer.Role role = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--role") && i + 1 < args.size()) {
        role = Officer.Role.parse(args.get(++i));
        if (role == null) {
          out.println("The role is officer, supervisor or analyst.");
          return 2;
        }
      } else if (arg.startsWith("--role=")) {
        role = Officer.Role.parse(arg.substring("--role=".length()));
        if (role == null) {
          out.println("The role is officer, supervisor or analyst.");
          return 2;
        }
      } else if (name == null && !arg.startsWith("--")) {
        name = arg;
      } else {
        return usage(out);
      }
    }
    if (name == null || role == null) return usage(out);
    if (!wellNamed(name, out)) return 1;
    String password = password(name, stdin, out, "nothing was added");
    if (password == null) return 1;
    try {
      boolean added = stores.accounts().add(name, role, password).await(WAIT_SECONDS, TimeUnit.SECONDS);
      if (!added) {
        out.println("There is already an officer called " + name + "; nothing was changed.");
        return 1;
      }
    } catch (Exception e) {
      return failed("add " + name, e, out);
    }
    String done = "Added " + role.wire() + " " + name;
    if (!audit(stores, clock, "officer-add", done, out)) return 1;
    out.println(done + ".");
    return 0;
  }

  private static int reset(List<String> args, ConsoleStores stores, Clock clock, InputStream stdin, PrintStream out) {
    if (args.size() != 1 || args.get(0).startsWith("--")) return usage(out);
    String name = args.get(0);
    if (!wellNamed(name, out)) return 1;
    String password = password(name, stdin, out, "nothing was changed");
    if (password == null) return 1;
    try {
      if (!stores.accounts().resetPassword(name, password).await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        out.println("There is no officer called " + name + "; nothing was changed.");
        return 1;
      }
    } catch (Exception e) {
      return failed("reset the password of " + name, e, out);
    }
    // After the new password is in place, so that the old one cannot open a session that outlives this.
    String done = "Set a new password for " + name;
    if (!endSessions(name, stores, done, "reset", out) || !audit(stores, clock, "officer-reset", done, out)) return 1;
    out.println(done + " and ended their open console sessions.");
    return 0;
  }

  private static int disable(List<String> args, ConsoleStores stores, Clock clock, PrintStream out) {
    if (args.size() != 1 || args.get(0).startsWith("--")) return usage(out);
    String name = args.get(0);
    try {
      if (!stores.accounts().disable(name).await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        out.println("There is no officer called " + name + ".");
        return 1;
      }
    } catch (Exception e) {
      return failed("disable " + name, e, out);
    }
    String done = "Disabled " + name;
    if (!endSessions(name, stores, done, "disable", out) || !audit(stores, clock, "officer-disable", done, out)) return 1;
    out.println(done + ": they cannot log in, and their open console sessions have ended.");
    return 0;
  }

  /** Ends the officer's sessions after a change; false, having said what was done already, when that failed. */
  private static boolean endSessions(String name, ConsoleStores stores, String done, String again, PrintStream out) {
    try {
      stores.sessions().endAll(name).await(WAIT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      out.println(done + ", but could not end their open console sessions: " + e.getClass().getSimpleName() + " " + e.getMessage()
          + ". Run ./sathi officer " + again + " " + name + " again.");
      return false;
    }
  }

  private static boolean wellNamed(String name, PrintStream out) {
    if (Officer.NAME.matcher(name).matches()) return true;
    out.println("An officer name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
    return false;
  }

  /** The password from the first line of standard input; null, having said why, when it cannot be used. */
  private static String password(String name, InputStream stdin, PrintStream out, String otherwise) {
    out.println("Password for " + name + " (at least " + Passwords.MIN_LENGTH + " characters), then Enter:");
    String password;
    try {
      password = firstLine(stdin);
    } catch (IOException e) {
      out.println("Could not read the password from standard input; " + otherwise + ".");
      return null;
    }
    if (password == null || !Passwords.acceptable(password)) {
      out.println("The password must have " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH + " characters; " + otherwise + ".");
      return null;
    }
    return password;
  }

  /** The audit entry for a change made here; false, having said that the change was made, when it could not be written. */
  private static boolean audit(ConsoleStores stores, Clock clock, String action, String done, PrintStream out) {
    try {
      stores.audit().append(new AuditEntry(clock.instant(), OPERATOR, action, null, "ok")).await(WAIT_SECONDS, TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      out.println(done + ", but the audit log entry could not be written: " + e.getClass().getSimpleName() + " " + e.getMessage() + ".");
      return false;
    }
  }

  private static int failed(String what, Exception e, PrintStream out) {
    out.println("Could not " + what + ": " + e.getClass().getSimpleName() + " " + e.getMessage() + ". Is Redis reachable (REDIS_URL)?");
    return 1;
  }

  /** The first line of the input, without its line ending; null when there is none or it is too long. */
  static String firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (line.size() >= MAX_INPUT_BYTES) return null;
      line.write(b);
    }
    if (b == -1 && line.size() == 0) return null;
    String text = line.toString(StandardCharsets.UTF_8);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
