package org.sathi.flow;

import java.util.Map;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Languages;

/**
 * Everything loaded from {@code ivr-flows/}: languages, one catalog per enabled language, and
 * every node of every flow by qualified id. Only the loader builds one, after validation.
 */
public record FlowBundle(Languages languages, Map<String, Catalog> catalogs, Map<String, Node> nodes, String mainMenu,
    Map<String, Map<String, String>> recordings, Directory directory) {

  public FlowBundle(Languages languages, Map<String, Catalog> catalogs, Map<String, Node> nodes, String mainMenu) {
    this(languages, catalogs, nodes, mainMenu, Map.of(), Directory.empty());
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
