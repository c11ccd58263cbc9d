package org.sathi.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./sathi officer add NAME --role officer|supervisor} (the password is the first line of
 * standard input, never an argument, so it stays out of the shell history and the process list) and
 * {@code ./sathi officer disable NAME}. The password is never printed or logged.
 */
public final class OfficerCommand {
  static final long WAIT_SECONDS = 60;
  /** Bytes read from standard input at most: a password is at most {@link Passwords#MAX_LENGTH} characters. */
  static final int MAX_INPUT_BYTES = Passwords.MAX_LENGTH * 4 + 2;

  private OfficerCommand() {}

  /**
   * Runs the command; {@code args} are what follows {@code officer} on the command line (a leading
   * {@code officer} is skipped). Returns the exit status: 0 done, 1 refused or failed, 2 usage.
   */
  public static int run(List<String> args, OfficerAccounts accounts, InputStream stdin, PrintStream out) {
    List<String> a = new ArrayList<>(args);
    if (!a.isEmpty() && a.get(0).equals("officer")) a.remove(0);
    if (a.isEmpty()) return usage(out);
    return switch (a.get(0)) {
      case "add" -> add(a.subList(1, a.size()), accounts, stdin, out);
      case "disable" -> disable(a.subList(1, a.size()), accounts, out);
      default -> usage(out);
    };
  }

  private static int usage(PrintStream out) {
    out.println("""
        usage: ./sathi officer add NAME --role officer|supervisor   (reads the password, at least %d characters, from standard input)
               ./sathi officer disable NAME""".formatted(Passwords.MIN_LENGTH));
    return 2;
  }

  private static int add(List<String> args, OfficerAccounts accounts, InputStream stdin, PrintStream out) {
    String name = null;
    Officer.Role role = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--role") && i + 1 < args.size()) {
        role = Officer.Role.parse(args.get(++i));
        if (role == null) {
          out.println("The role is officer or supervisor.");
          return 2;
        }
      } else if (arg.startsWith("--role=")) {
        role = Officer.Role.parse(arg.substring("--role=".length()));
        if (role == null) {
          out.println("The role is officer or supervisor.");
          return 2;
        }
      } else if (name == null && !arg.startsWith("--")) {
        name = arg;
      } else {
        return usage(out);
      }
    }
    if (name == null || role == null) return usage(out);
    if (!Officer.NAME.matcher(name).matches()) {
      out.println("An officer name is 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");
      return 1;
    }
    out.println("Password for " + name + " (at least " + Passwords.MIN_LENGTH + " characters), then Enter:");
    String password;
    try {
      password = firstLine(stdin);
    } catch (IOException e) {
      out.println("Could not read the password from standard input.");
      return 1;
    }
    if (password == null || !Passwords.acceptable(password)) {
      out.println("The password must have " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH + " characters; nothing was added.");
      return 1;
    }
    try {
      boolean added = accounts.add(name, role, password).await(WAIT_SECONDS, TimeUnit.SECONDS);
      if (!added) {
        out.println("There is already an officer called " + name + "; nothing was changed.");
        return 1;
      }
      out.println("Added " + role.wire() + " " + name + ".");
      return 0;
    } catch (Exception e) {
      out.println("Could not add " + name + ": " + e.getClass().getSimpleName() + " " + e.getMessage() + ". Is Redis reachable (REDIS_URL)?");
      return 1;
    }
  }

  private static int disable(List<String> args, OfficerAccounts accounts, PrintStream out) {
    if (args.size() != 1) return usage(out);
    String name = args.get(0);
    try {
      if (!accounts.disable(name).await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        out.println("There is no officer called " + name + ".");
        return 1;
      }
      out.println("Disabled " + name + ": they cannot log in, and their open console sessions stop working at once.");
      return 0;
    } catch (Exception e) {
      out.println("Could not disable " + name + ": " + e.getClass().getSimpleName() + " " + e.getMessage() + ". Is Redis reachable (REDIS_URL)?");
      return 1;
    }
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
