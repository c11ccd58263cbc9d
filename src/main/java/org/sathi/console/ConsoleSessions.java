package org.sathi.console;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Console sessions, kept on the server, and the login throttle. A session ends after
 * {@code idleTimeout} without a request, after {@code absoluteTimeout} in any case, at logout, or
 * when all of the officer's sessions are ended (account disabled, password reset); time comes from
 * the injected clock.
 *
 * <p>The throttle counts login attempts per account name and per address in a sliding window: each
 * attempt is counted when it is admitted, and a successful login forgets its account's count, so what
 * stays counted per account are the failures. Per address every attempt stays counted for the window,
 * which bounds guessing across many names from one place. Counting before the password is checked
 * means concurrent guesses cannot slip past it. Addresses are kept only as a digest
 * ({@link #addressDigest}).
 */
public interface ConsoleSessions {

  /**
   * @param maxLoginFailures   failed logins per account name within {@code failureWindow} before further attempts are refused
   * @param maxAddressFailures login attempts from one address within {@code failureWindow} before further ones are refused
   */
  record Settings(Duration idleTimeout, Duration absoluteTimeout, int maxLoginFailures, int maxAddressFailures, Duration failureWindow) {
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(30), Duration.ofHours(12), 5, 20, Duration.ofMinutes(15));
    }
  }

  /** A new session, with a new random id and CSRF token, for an officer who just logged in. */
  Future<ConsoleSession> create(String officer);

  /** The session, when it exists and has not timed out, marked as used now; an expired one is deleted. */
  Future<Optional<ConsoleSession>> touch(String id);

  /**
   * The session, when it exists and has not timed out, without marking it used (its last-seen time
   * stays as it was): for requests the console makes by itself (the live queue, its refreshes), which
   * must not keep an idle session alive. An expired one is deleted, as by {@link #touch}.
   */
  Future<Optional<ConsoleSession>> peek(String id);

  /** Ends a session (logout). Nothing happens for an unknown id. */
  Future<Void> end(String id);

  /** Ends every session of the officer (account disabled, password reset), all at once. Nothing happens when there are none. */
  Future<Void> endAll(String officer);

  /**
   * Counts a login attempt for the account name and for the address it came from; false, counting
   * nothing, when either already reached its limit in the window. A null address is counted for
   * the account only.
   */
  Future<Boolean> admitLogin(String account, String address);

  /**
   * A login succeeded: the account's counted attempts are forgotten, and this attempt no longer
   * counts for the address (its failures still do). Officers sharing one office address, behind one
   * NAT, are never locked out by logging in.
   */
  Future<Void> loginSucceeded(String account, String address);

  /**
   * What is kept of a client address: the first 32 hex digits of the SHA-256 of its text (trimmed,
   * lower case), never the address itself.
   */
  static String addressDigest(String address) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(address.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

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
