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
    return passwords.matches(password, account == null ? null : account.passwordHash())
        .map(ok -> ok && !account.disabled() ? Optional.of(new Officer(name, account.role())) : Optional.<Officer>empty());
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

  /** Everything kept for an account, as a test would find it in a dump; null when none. */
  String stored(String name) {
    Account a = accounts.get(name);
    return a == null ? null : a.toString();
  }
}
