package org.sathi.console;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The console stores' contract in memory. */
class ConsoleStoresTest extends ConsoleStoresContract {
  Vertx vertx;
  MemoryOfficerAccounts accounts;
  MemoryConsoleSessions sessions;
  MemoryAudit audit;

  @BeforeEach
  void fresh() {
    vertx = Vertx.vertx();
    accounts = new MemoryOfficerAccounts(new Passwords(Passwords.Cost.MINIMUM));
    sessions = new MemoryConsoleSessions(clock);
    audit = new MemoryAudit();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Override
  Vertx vertx() {
    return vertx;
  }

  @Override
  OfficerAccounts accounts() {
    return accounts;
  }

  @Override
  ConsoleSessions sessions() {
    return sessions;
  }

  @Override
  Audit audit() {
    return audit;
  }

  @Override
  String storedAccount(String name) {
    return accounts.stored(name);
  }

  @Override
  OfficerAccounts accountsCosting(Passwords.Cost cost) {
    accounts = new MemoryOfficerAccounts(new Passwords(cost));
    return accounts;
  }

  @Override
  String storedHash(String name) {
    return accounts.storedHash(name);
  }

  @Override
  void plantHash(String name, String hash) {
    accounts.storeHash(name, hash);
  }
}
