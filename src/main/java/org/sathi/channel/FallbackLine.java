package org.sathi.channel;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * While the store is down an operator channel refuses a text (the SMSC or smsbox delivers it again
 * later) and sends the caller the polite fallback, but not on every redelivery: at most once per
 * caller in {@link #EVERY}. Kept in this instance's memory only; a second instance may send one more.
 */
public final class FallbackLine {
  public static final Duration EVERY = Duration.ofMinutes(5);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FallbackLine.class);

  private final String channel;
  private final SmsSender sender;
  private final Clock clock;
  private final Map<String, Long> last = new ConcurrentHashMap<>();

  public FallbackLine(String channel, SmsSender sender, Clock clock) {
    this.channel = channel;
    this.sender = sender;
    this.clock = clock;
  }

  /** Sends the fallback to the caller, unless they had one within {@link #EVERY}. */
  public void offer(String to, String callerKey, String text) {
    if (!due(callerKey)) return;
    sender.send(to, text).onFailure(err -> LOG.info("Channel {}: the fallback to caller {} was not sent either ({}).", channel,
        org.sathi.privacy.CallerKey.shortForm(callerKey), err.getMessage()));
  }

  /** Whether to send the fallback to this caller now; records it when so. */
  boolean due(String callerKey) {
    long now = clock.millis();
    Long before = last.get(callerKey);
    if (before != null && now - before < EVERY.toMillis()) return false;
    last.put(callerKey, now);
    if (last.size() > 100_000) last.clear(); // a flood of callers must not grow this without end
    return true;
  }
}
