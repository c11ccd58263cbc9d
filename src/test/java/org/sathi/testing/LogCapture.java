package org.sathi.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every event the root logger takes while attached, for checks that no number, id or body is logged. */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture() {
    appender.start();
    root().addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** Each event's message, and its exception's message when it has one; a copy, as the server may be logging meanwhile. */
  public List<String> lines() {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = new ArrayList<>(appender.list);
    }
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : events) {
      out.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) out.add(String.valueOf(e.getThrowableProxy().getMessage()));
    }
    return out;
  }

  public void clear() {
    synchronized (appender) {
      appender.list.clear();
    }
  }

  @Override
  public void close() {
    root().detachAppender(appender);
  }
}
