package org.sathi.console;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code GET /api/events}: Server-Sent Events for an open console. Each change to a report, made on
 * any Sathi instance, arrives as {@code event: report} with {@code {"reference","change","priority"}}
 * and nothing more; the console then fetches what it shows through the API, which checks and audits
 * as usual. Every {@code check} the stream sends a keep-alive and checks its session without
 * counting it as activity; when the session has ended (idle, absolute, logout, account disabled) it
 * sends {@code event: ended} and closes. A console too slow to take events is closed rather than
 * buffered: its browser reconnects and refreshes.
 */
final class ConsoleStream {
  private final ConsoleEvents events;
  private final ConsoleSessions sessions;
  private final Duration check;

  ConsoleStream(ConsoleEvents events, ConsoleSessions sessions, Duration check) {
    this.events = events;
    this.sessions = sessions;
    this.check = check;
  }

  void open(RoutingContext ctx) {
    String session = ConsoleApi.caller(ctx).session().id();
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold events back
    response.write("retry: 3000\n\n");
    Vertx vertx = ctx.vertx();
    Context context = vertx.getOrCreateContext();
    Runnable stop = events.subscribe(event -> context.runOnContext(v -> {
      if (response.ended() || response.closed()) return;
      if (response.writeQueueFull()) {
        response.end();
        return;
      }
      response.write("event: report\ndata: " + event.encode() + "\n\n");
    }));
    long timer = vertx.setPeriodic(check.toMillis(), t -> {
      if (response.ended() || response.closed()) return;
      sessions.peek(session).onComplete(found -> {
        if (response.ended() || response.closed()) return;
        if (found.succeeded() && found.result().isEmpty()) {
          response.end("event: ended\ndata: {}\n\n");
        } else {
          response.write(": keep-alive\n\n");
        }
      });
    });
    response.closeHandler(v -> {
      stop.run();
      vertx.cancelTimer(timer);
    });
    // A graceful shutdown ends the stream at once (the browser reconnects to another instance) instead of waiting out the grace.
    ctx.request().connection().shutdownHandler(v -> {
      if (!response.ended() && !response.closed()) response.end();
    });
    response.endHandler(v -> {
      stop.run();
      vertx.cancelTimer(timer);
    });
  }
}
