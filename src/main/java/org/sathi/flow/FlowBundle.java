package org.sathi.flow;

import java.util.Map;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Languages;

/**
 * Everything loaded from {@code ivr-flows/}: languages, one catalog per enabled language, and
 * every node of every flow by qualified id. Only the loader builds one, after validation.
 */
public record FlowBundle(Languages languages, Map<String, Catalog> catalogs, Map<String, Node> nodes, String mainMenu,
    Map<String, Map<String, String>> recordings, Directory directory, org.sathi.config.Countries countries,
    java.util.concurrent.ConcurrentMap<String, Catalog> byCountry, Areas areas) {

  public FlowBundle(Languages languages, Map<String, Catalog> catalogs, Map<String, Node> nodes, String mainMenu) {
    this(languages, catalogs, nodes, mainMenu, Map.of(), Directory.empty());
  }

  public FlowBundle(Languages languages, Map<String, Catalog> catalogs, Map<String, Node> nodes, String mainMenu,
      Map<String, Map<String, String>> recordings, Directory directory) {
    this(languages, catalogs, nodes, mainMenu, recordings, directory, null, new java.util.concurrent.ConcurrentHashMap<>(), Areas.NONE);
  }

  /** The same flows, with the areas callers can choose where a concern is (config/places.yaml). */
  public FlowBundle withAreas(Areas areas) {
    return new FlowBundle(languages, catalogs, nodes, mainMenu, recordings, directory, countries, byCountry, areas == null ? Areas.NONE : areas);
  }

  /**
   * The same flows, with each caller's own country's numbers; {@link #catalog(String)} then gives
   * the numbers for a caller of an unlisted country.
   */
  public FlowBundle withCountries(org.sathi.config.Countries countries) {
    if (countries == null) return this;
    Map<String, Catalog> fallback = new java.util.LinkedHashMap<>();
    catalogs.forEach((code, c) -> fallback.put(code, c.withNumbers(countries.numbers(null))));
    return new FlowBundle(languages, Map.copyOf(fallback), nodes, mainMenu, recordings, directory, countries,
        new java.util.concurrent.ConcurrentHashMap<>(), areas);
  }

  /** The calling code of a caller's number among the configured countries, or null. */
  public String callingCode(String e164) {
    return countries == null ? null : countries.callingCode(e164);
  }

  /** A language's messages with the numbers of the caller's country (by calling code; null: the fallback numbers). */
  public Catalog catalog(String language, String callingCode) {
    Catalog base = catalog(language);
    if (countries == null) return base;
    return byCountry.computeIfAbsent(base.language() + "|" + callingCode, k -> base.withNumbers(countries.numbers(callingCode)));
  }

  /** The file under {@code audio/<language>/} recorded for a message key, or null. */
  public String recording(String language, String key) {
    return recordings.getOrDefault(language, Map.of()).get(key);
  }

  public static final String MAIN_FLOW = "main";

  public Node node(String id) {
    Node node = nodes.get(id);
    if (node == null) throw new IllegalStateException("no node " + id);
    return node;
  }

  public Catalog catalog(String language) {
    Catalog c = catalogs.get(language);
    return c != null ? c : catalogs.get(languages.fallback().code());
  }
}
