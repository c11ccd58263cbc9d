package org.sathi.console;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.sathi.redis.RedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Report X changed": what the open consoles of every Sathi instance hear, so the queue updates
 * without a reload. An event names the reference, the kind of change and the priority, never any
 * content. In memory for one process (the demo, tests); over Redis pub/sub ({@value #CHANNEL}) for
 * several instances: every instance publishes what it changed and hears what all changed.
 * Pub/sub is fire-and-forget: a console that missed an event catches up at its next refresh.
 */
public abstract class ConsoleEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleEvents.class);
  public static final String CHANNEL = "sathi:console:events";

  private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();

  /** @param change created, status, note, acknowledged, paged or erased */
  public abstract void publish(String reference, String change, String priority);

  /** Hears every change; the listener is called on whatever thread delivers it. Returns what stops it. */
  public Runnable subscribe(Consumer<JsonObject> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  protected void deliver(JsonObject event) {
    for (Consumer<JsonObject> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("A console listener failed: {}.", e.getClass().getName());
      }
    }
  }

  static JsonObject event(String reference, String change, String priority) {
    JsonObject e = new JsonObject().put("reference", reference).put("change", change);
    if (priority != null) e.put("priority", priority);
    return e;
  }

  public static ConsoleEvents memory() {
    return new ConsoleEvents() {
      @Override
      public void publish(String reference, String change, String priority) {
        deliver(event(reference, change, priority));
      }
    };
  }

  public static ConsoleEvents redis(RedisConnection redis) {
    ConsoleEvents events = new ConsoleEvents() {
      @Override
      public void publish(String reference, String change, String priority) {
        String message = event(reference, change, priority).encode();
        redis.<Long>call("console", c -> c.async().publish(CHANNEL, message))
            .onFailure(err -> LOG.warn("A console event was not published ({}); open consoles catch up at their next refresh.",
                err.getClass().getSimpleName()));
      }
    };
    redis.subscribe(CHANNEL, message -> {
      try {
        events.deliver(new JsonObject(message));
      } catch (RuntimeException notJson) {
        LOG.warn("A message on {} was not a console event; ignored.", CHANNEL);
      }
    });
    return events;
  }
}
