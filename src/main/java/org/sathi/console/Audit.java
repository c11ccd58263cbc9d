package org.sathi.console;

import io.vertx.core.Future;
import java.util.List;

/** The append-only audit log of officer actions. There is no way to change or remove an entry. */
public interface Audit {

  Future<Void> append(AuditEntry entry);

  /** The latest entries, newest first, at most {@code limit}. */
  Future<List<AuditEntry>> latest(int limit);
}
