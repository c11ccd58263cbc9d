package org.sathi.duty;

import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A pager that remembers who was paged with what, for tests. */
final class RecordingPager implements Pager {
  record Page(String officer, String text) {}

  final List<Page> pages = new CopyOnWriteArrayList<>();

  @Override
  public Future<Void> page(Roster.Officer officer, String text) {
    pages.add(new Page(officer.id(), text));
    return Future.succeededFuture();
  }

  List<String> officers() {
    return pages.stream().map(Page::officer).toList();
  }
}
