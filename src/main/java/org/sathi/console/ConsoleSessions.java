package org.sathi.console;

import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console sessions, kept on the server, and the login throttle. A session ends after
 * {@code idleTimeout} without a request, after {@code absoluteTimeout} in any case, or at logout;
 * time comes from the injected clock.
 *
 * <p>The throttle counts login attempts per account name in a sliding window: each attempt is
 * counted when it is admitted and forgotten when a login succeeds, so what stays counted are the
 * failures. Counting before the password is checked means concurrent guesses cannot slip past it.
 */
public interface ConsoleSessions {

  /** @param maxLoginFailures failed logins per account name within {@code failureWindow} before further attempts are refused */
  record Settings(Duration idleTimeout, Duration absoluteTimeout, int maxLoginFailures, Duration failureWindow) {
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(30), Duration.ofHours(12), 5, Duration.ofMinutes(15));
    }
  }

  /** A new session, with a new random id and CSRF token, for an officer who just logged in. */
  Future<ConsoleSession> create(String officer);

  /** The session, when it exists and has not timed out, marked as used now; an expired one is deleted. */
  Future<Optional<ConsoleSession>> touch(String id);

  /**
   * The session, when it exists and has not timed out, without marking it used: for requests the
   * console makes by itself (the live queue, its refreshes), which must not keep an idle session alive.
   */
  default Future<Optional<ConsoleSession>> peek(String id) {
    throw new UnsupportedOperationException("peek: to be implemented");
  }

  /** Ends a session (logout). Nothing happens for an unknown id. */
  Future<Void> end(String id);

  /** Ends every session of the officer (account disabled, password reset). */
  default Future<Void> endAll(String officer) {
    throw new UnsupportedOperationException("endAll: to be implemented");
  }

  /**
   * Counts a login attempt for the account name and for the address it came from; false, counting
   * nothing, when either already reached its limit of failures in the window.
   */
  default Future<Boolean> admitLogin(String account, String address) {
    return admitLogin(account);
  }

  /** Counts a login attempt for the account name; false, counting nothing, when its failures already reached the limit. */
  Future<Boolean> admitLogin(String account);

  /** A login succeeded: the account's counted attempts are forgotten. */
  Future<Void> loginSucceeded(String account);

  /** Session ids and CSRF tokens: 256 random bits, base64url (43 characters). */
  static String newToken() {
    byte[] bytes = new byte[32];
    Tokens.RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Whether a cookie value can be a session id at all; anything else is not looked up. */
  static boolean wellFormed(String id) {
    return id != null && Tokens.FORM.matcher(id).matches();
  }

  /** Holder for the shared generator (interfaces cannot have private static fields). */
  final class Tokens {
    static final SecureRandom RANDOM = new SecureRandom();
    static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Tokens() {}
  }
}
