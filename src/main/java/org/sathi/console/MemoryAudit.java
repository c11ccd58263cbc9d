package org.sathi.console;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** The audit log in memory, for {@code demo} and tests. */
public final class MemoryAudit implements Audit {
  private final List<AuditEntry> entries = new ArrayList<>();

  @Override
  public synchronized Future<Void> append(AuditEntry entry) {
    entries.add(entry);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<AuditEntry>> latest(int limit) {
    List<AuditEntry> out = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) out.add(entries.get(i));
    return Future.succeededFuture(out);
  }
}
