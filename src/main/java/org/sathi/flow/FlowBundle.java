package org.sathi.flow;

import java.util.Map;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Languages;

/**
 * Everything loaded from {@code ivr-flows/}: languages, one catalog per enabled language, and
 * every node of every flow by qualified id. Only the loader builds one, after validation.
 */
public record FlowBundle(Languages languages, Map<String, Catalog> catalogs, Map<String, Node> nodes, String mainMenu) {

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
