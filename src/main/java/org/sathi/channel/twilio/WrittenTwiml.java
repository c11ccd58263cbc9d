package org.sathi.channel.twilio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * TwiML documents kept once written. The Twilio SDK writes each one through a new XML parser and
 * transformer, the largest cost of a turn in ./sathi bench, and most replies are the same few
 * screens. Bounded simply: a reference code makes some documents one-off, so when full it starts over.
 */
public final class WrittenTwiml<K> {
  public static final int MAX_KEPT = 4096;

  private final Map<K, String> kept = new ConcurrentHashMap<>();

  public String get(K key, Supplier<String> write) {
    String xml = kept.get(key);
    if (xml != null) return xml;
    xml = write.get();
    if (kept.size() >= MAX_KEPT) kept.clear();
    kept.put(key, xml);
    return xml;
  }
}
