package org.sathi.console;

import java.util.Locale;
import java.util.regex.Pattern;

/** A duty officer who can log in to the console, and what they may do there. */
public record Officer(String name, Role role) {

  /** Lower-case letters, digits, '.', '_' and '-', starting with a letter or digit: safe in Redis keys and logs. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /**
   * An officer works reports they claimed; a supervisor may also close anybody's open report; an
   * analyst sees published statistics and never a report.
   */
  public enum Role {
    OFFICER, SUPERVISOR, ANALYST;

    /** As typed on the command line and shown in the API: {@code officer}, {@code supervisor}, {@code analyst}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The role for {@code officer}, {@code supervisor} or {@code analyst}; null for anything else. */
    public static Role parse(String text) {
      if (text == null) return null;
      return switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "officer" -> OFFICER;
        case "supervisor" -> SUPERVISOR;
        case "analyst" -> ANALYST;
        default -> null;
      };
    }
  }

  public Officer {
    if (name == null || !NAME.matcher(name).matches()) throw new IllegalArgumentException("not an officer name");
    if (role == null) throw new IllegalArgumentException("an officer needs a role");
  }

  public boolean supervisor() {
    return role == Role.SUPERVISOR;
  }

  /** Sees statistics only: every report endpoint answers an analyst 403. */
  public boolean analyst() {
    return role == Role.ANALYST;
  }

  /** A login name as typed, made canonical (trimmed, lower case); null when it cannot be an officer's name. */
  public static String canonicalName(String typed) {
    if (typed == null) return null;
    String name = typed.strip().toLowerCase(Locale.ROOT);
    return NAME.matcher(name).matches() ? name : null;
  }
}
