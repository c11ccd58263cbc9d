package org.sathi.console;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts in memory, for {@code demo} and tests: the same contract as Redis, one process. */
public final class MemoryOfficerAccounts implements OfficerAccounts {
  record Account(Officer.Role role, String passwordHash, boolean disabled) {}

  private final Passwords passwords;
  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  public MemoryOfficerAccounts(Passwords passwords) {
    this.passwords = passwords;
  }

  @Override
  public Future<Boolean> add(String name, Officer.Role role, String password) {
    Future<Boolean> refused = OfficerAccounts.refuse(name, role, password);
    if (refused != null) return refused;
    if (accounts.containsKey(name)) return Future.succeededFuture(false);
    return passwords.hash(password).map(hash -> accounts.putIfAbsent(name, new Account(role, hash, false)) == null);
  }

  @Override
  public Future<Optional<Officer>> verify(String name, String password) {
    Account account = name == null ? null : accounts.get(name);
    String stored = account == null ? null : account.passwordHash();
    return passwords.matches(password, stored).compose(ok -> {
      if (!ok || account.disabled()) return Future.succeededFuture(Optional.<Officer>empty());
      Optional<Officer> officer = Optional.of(new Officer(name, account.role()));
      if (!passwords.needsRehash(stored)) return Future.succeededFuture(officer);
      // Only over the hash just checked: a reset in between wins.
      return passwords.hash(password)
          .map(fresh -> accounts.computeIfPresent(name, (n, a) -> a.passwordHash().equals(stored) ? new Account(a.role(), fresh, a.disabled()) : a))
          .map(officer);
    });
  }

  @Override
  public Future<Optional<Officer>> find(String name) {
    Account account = name == null ? null : accounts.get(name);
    return Future.succeededFuture(account == null || account.disabled() ? Optional.empty() : Optional.of(new Officer(name, account.role())));
  }

  @Override
  public Future<Boolean> disable(String name) {
    if (name == null) return Future.succeededFuture(false);
    return Future.succeededFuture(accounts.computeIfPresent(name, (n, a) -> new Account(a.role(), a.passwordHash(), true)) != null);
  }

  @Override
  public Future<Boolean> resetPassword(String name, String password) {
    Future<Boolean> refused = OfficerAccounts.refusePassword(password);
    if (refused != null) return refused;
    if (name == null || !accounts.containsKey(name)) return Future.succeededFuture(false);
    return passwords.hash(password).map(hash -> accounts.computeIfPresent(name, (n, a) -> new Account(a.role(), hash, a.disabled())) != null);
  }

  /** Everything kept for an account, as a test would find it in a dump; null when none. */
  String stored(String name) {
    Account a = accounts.get(name);
    return a == null ? null : a.toString();
  }

  /** Puts a stored hash in place as an older release would have left it (tests of the upgrade). */
  void storeHash(String name, String passwordHash) {
    accounts.computeIfPresent(name, (n, a) -> new Account(a.role(), passwordHash, a.disabled()));
  }

  /** The stored hash alone; null when there is no such account. */
  String storedHash(String name) {
    Account a = accounts.get(name);
    return a == null ? null : a.passwordHash();
  }
}
