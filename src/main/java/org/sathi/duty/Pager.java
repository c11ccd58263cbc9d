package org.sathi.duty;

import io.vertx.core.Future;

/** Sends a page to an officer's phone. The text carries a reference and a category, never a reporter's words. */
public interface Pager {
  Future<Void> page(Roster.Officer officer, String text);
}
