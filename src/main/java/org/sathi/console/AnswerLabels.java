package org.sathi.console;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.Node;
import org.sathi.i18n.Catalog;
import org.sathi.report.ReportAnswers;

/**
 * A report's coded answers ({@code forced_labour}, {@code child}, ...) in words, in the language the
 * officer reads: the labels the reporter chose from, taken from the flows and their catalogs, so a
 * new option in {@code ivr-flows/} is labelled without touching Java.
 */
public final class AnswerLabels {
  private final FlowBundle bundle;
  /** save name → value → label key, from every choice question of the flows. */
  private final Map<String, Map<String, String>> keys = new HashMap<>();

  public AnswerLabels(FlowBundle bundle) {
    this.bundle = bundle;
    for (Node n : bundle.nodes().values()) {
      if (n instanceof org.sathi.flow.node.Question q && q.save() != null && q.options() != null) {
        for (Node.Option o : q.options()) {
          if (o.value() != null) keys.computeIfAbsent(q.save(), s -> new HashMap<>()).putIfAbsent(o.value(), o.label());
        }
      }
    }
  }

  /** The default language's code, and whether {@code code} is one the hotline has. */
  public String language(String code) {
    return code != null && bundle.languages().byCode(code).isPresent() ? code : bundle.languages().fallback().code();
  }

  /** Each coded answer's label in the language; an answer with no label is left out (the console shows its code). */
  public JsonObject labels(ReportAnswers a, String language) {
    JsonObject out = new JsonObject();
    if (a == null) return out;
    Catalog c = bundle.catalog(language(language));
    put(out, c, "who", a.who());
    put(out, c, "what", a.what());
    put(out, c, "danger", a.danger());
    put(out, c, "gender", a.gender());
    put(out, c, "contact", a.contact());
    String area = area(a.area(), language(language));
    if (area != null) out.put("area", area);
    return out;
  }

  /** An area by its name (config/places.yaml), with the division a district is in: "Jashore, Khulna". */
  private String area(String code, String language) {
    String name = code == null ? null : bundle.areas().name(code, language);
    if (name == null) return null;
    String top = bundle.areas().rollUp(code);
    return top == null || top.equals(code) ? name : name + ", " + bundle.areas().name(top, language);
  }

  private void put(JsonObject out, Catalog c, String field, String value) {
    String key = value == null ? null : keys.getOrDefault(field, Map.of()).get(value);
    if (key != null && c.has(key)) out.put(field, c.text(key));
  }
}
