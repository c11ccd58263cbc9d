package org.sathi.redis;

/** The store could not be reached in time; the caller gets the polite fallback, nothing is acknowledged. */
public final class StoreUnavailable extends RuntimeException {
  public StoreUnavailable(String message) {
    super(message, null, false, false);
  }
}
