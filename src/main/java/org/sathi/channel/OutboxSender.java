package org.sathi.channel;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.sathi.duty.DutyInbox;
import org.sathi.privacy.CallerKey;
import org.sathi.privacy.Sealer;
import org.sathi.turn.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the replies that turns left in a channel's outbox, and marks each done only once the
 * channel took it (an SMSC's {@code submit_sm_resp}, Kannel's 202). A reply whose send failed stays
 * pending and is tried again after {@code retryAfter}, by this instance or by another if this one
 * died; a reply still unsent after the reply window is given up, counted and logged by caller key.
 */
public final class OutboxSender {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxSender.class);
  /** Replies taken from the outbox at once; the transport's own window bounds what is in flight. */
  static final int BATCH = 50;

  public record Settings(String consumer, Duration pollEvery, Duration retryAfter, Duration giveUpAfter) {}

  private final Vertx vertx;
  private final String channel;
  private final DutyInbox outbox;
  private final Sealer sealer;
  private final SmsSender transport;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Settings settings;
  private long timer = -1;
  private boolean polling;
  private boolean again;

  public OutboxSender(Vertx vertx, String channel, DutyInbox outbox, Sealer sealer, SmsSender transport, MeterRegistry metrics,
      Clock clock, Settings settings) {
    this.vertx = vertx;
    this.channel = channel;
    this.outbox = outbox;
    this.sealer = sealer;
    this.transport = transport;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
  }

  public Future<Void> start() {
    timer = vertx.setPeriodic(settings.pollEvery().toMillis(), t -> nudge());
    // The group may not exist yet while Redis is down; every poll prepares it again.
    outbox.prepare().onComplete(ar -> nudge());
    return Future.succeededFuture();
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Looks at the outbox now: a turn just left a reply there, or the channel is back. */
  public void nudge() {
    if (polling) {
      again = true;
      return;
    }
    polling = true;
    again = false;
    outbox.prepare()
        .compose(v -> outbox.reclaim(settings.consumer(), settings.retryAfter(), BATCH))
        .compose(reclaimed -> outbox.next(settings.consumer(), BATCH).map(fresh -> concat(reclaimed, fresh)))
        .compose(this::sendAll)
        .onComplete(ar -> {
          polling = false;
          if (ar.failed()) {
            LOG.debug("Outbox of channel {} could not be read: {}.", channel, ar.cause().getClass().getSimpleName());
          } else if (again || ar.result() == BATCH) {
            nudge();
          }
        });
  }

  private static List<DutyInbox.Delivery> concat(List<DutyInbox.Delivery> a, List<DutyInbox.Delivery> b) {
    if (a.isEmpty()) return b;
    java.util.ArrayList<DutyInbox.Delivery> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private Future<Integer> sendAll(List<DutyInbox.Delivery> deliveries) {
    List<Future<Void>> sends = deliveries.stream().map(this::send).toList();
    return Future.join(sends).otherwiseEmpty().map(v -> deliveries.size());
  }

  private Future<Void> send(DutyInbox.Delivery d) {
    OutboxEntry entry = OutboxEntry.open(sealer, d.event());
    if (entry == null) {
      LOG.error("A reply in the outbox of channel {} was not sealed with this SATHI_SECRET; it was set aside (sathi:outbox:{}:dead).", channel, channel);
      return outbox.deadLetter(d, "not sealed with this secret");
    }
    String caller = CallerKey.shortForm(entry.callerKey());
    if (age(d.id()).compareTo(settings.giveUpAfter()) > 0) {
      metrics.counter("sathi.channel.undelivered", "channel", channel).increment();
      LOG.warn("A reply to caller {} on channel {} could not be sent within the reply window ({} tries) and was given up.", caller, channel,
          d.deliveries());
      return outbox.deadLetter(d, "not sent within the reply window");
    }
    return transport.send(entry.to(), entry.text()).compose(messageId -> {
      metrics.counter("sathi.channel.sent", "channel", channel).increment();
      return outbox.done(d.id());
    }, err -> {
      LOG.info("A reply to caller {} on channel {} was not sent ({}); trying again in {} s.", caller, channel, err.getMessage(),
          settings.retryAfter().toSeconds());
      return Future.succeededFuture();
    });
  }

  /** How long ago the turn put the reply in the outbox: a stream id starts with its time in ms. */
  private Duration age(String streamId) {
    int dash = streamId.indexOf('-');
    if (dash < 0) return Duration.ZERO; // an in-memory outbox (the demo) numbers its entries instead
    try {
      long at = Long.parseLong(streamId.substring(0, dash));
      return Duration.ofMillis(Math.max(0, clock.millis() - at));
    } catch (NumberFormatException memoryId) {
      return Duration.ZERO;
    }
  }
}
