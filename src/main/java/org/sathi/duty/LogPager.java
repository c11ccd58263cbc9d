package org.sathi.duty;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo's pager: writes the page to the log (by officer id; the page holds no reporter content). */
public final class LogPager implements Pager {
  private static final Logger LOG = LoggerFactory.getLogger(LogPager.class);

  @Override
  public Future<Void> page(Roster.Officer officer, String text) {
    LOG.info("Demo page to {}: {}", officer.id(), text);
    return Future.succeededFuture();
  }
}
