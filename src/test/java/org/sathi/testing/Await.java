package org.sathi.testing;

import java.time.Duration;

/** Waits for something a test expects to become true, checking every 20 ms, instead of sleeping a fixed time. */
public final class Await {
  private Await() {}

  public interface Check {
    boolean ok() throws Exception;
  }

  /** Returns as soon as the check holds; fails with "not within N s: what" when it does not within the limit. */
  public static void until(Duration limit, String what, Check check) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.ok()) return;
      Thread.sleep(20);
    }
    throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
  }
}
