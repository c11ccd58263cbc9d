package org.sathi.console;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Console accounts: a name, a role, a password kept only as a slow salted hash (see {@link Passwords}),
 * and whether the account is disabled. Hashing runs on the password workers, never on an event loop.
 */
public interface OfficerAccounts {

  /**
   * Adds an account. False, changing nothing, when the name is taken. Fails with
   * IllegalArgumentException for a name that is not {@link Officer#NAME} or a password that is not
   * {@link Passwords#acceptable}.
   */
  Future<Boolean> add(String name, Officer.Role role, String password);

  /**
   * The officer, when the account exists, is enabled and the password is theirs. When the stored hash
   * is of an older scheme or a lower cost ({@link Passwords#needsRehash}), a fresh one is stored
   * before this answers (unless the password changed meanwhile); if that fails, the login still stands.
   */
  Future<Optional<Officer>> verify(String name, String password);

  /** The officer, when the account exists and is enabled; checked on every console request. */
  Future<Optional<Officer>> find(String name);

  /** Disables an account: it can no longer log in, and its sessions stop working. False when there is no such account. */
  Future<Boolean> disable(String name);

  /**
   * Sets a new password, enabled or disabled account alike (a reset does not enable it). False,
   * changing nothing, when there is no such account. Fails with IllegalArgumentException for a
   * password that is not {@link Passwords#acceptable}. The account's sessions are not ended here:
   * that is {@link ConsoleSessions#endAll}.
   */
  Future<Boolean> resetPassword(String name, String password);

  /** The arguments of {@link #add}, checked; a failed future to return when they are wrong, else null. */
  static <T> Future<T> refuse(String name, Officer.Role role, String password) {
    if (name == null || !Officer.NAME.matcher(name).matches()) {
      return Future.failedFuture(new IllegalArgumentException("an officer name is 1-64 lower-case letters, digits, '.', '_' or '-'"));
    }
    if (role == null) return Future.failedFuture(new IllegalArgumentException("the role is officer, supervisor or analyst"));
    return refusePassword(password);
  }

  /** A failed future for a password that is not {@link Passwords#acceptable}, else null. */
  static <T> Future<T> refusePassword(String password) {
    if (!Passwords.acceptable(password)) {
      return Future.failedFuture(new IllegalArgumentException("a password has " + Passwords.MIN_LENGTH + " to " + Passwords.MAX_LENGTH + " characters"));
    }
    return null;
  }
}
