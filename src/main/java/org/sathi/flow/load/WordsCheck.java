package org.sathi.flow.load;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sathi.config.Problem;
import org.sathi.flow.Engine;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
import org.sathi.i18n.Languages;

/**
 * A word that works everywhere must mean one thing: in each language, against its own lists and
 * the default language's (which work in every language), no word may be in two lists. "x" meaning
 * both exit and back would wipe a conversation the caller meant to go back in.
 */
final class WordsCheck {
  private WordsCheck() {}

  static void check(Path dir, Languages languages, Map<String, Catalog> catalogs, Map<String, Map<String, Integer>> keyLines, List<Problem> problems) {
    Catalog fallback = catalogs.get(languages.fallback().code());
    for (Language l : languages.enabled()) {
      Catalog c = catalogs.get(l.code());
      if (c == null || fallback == null) continue;
      Map<String, String> kindOf = new HashMap<>();
      for (Catalog source : List.of(c, fallback)) {
        for (String kind : FlowLoader.WORD_KINDS) {
          for (String w : source.words(kind)) {
            String n = Engine.normalize(w);
            String before = kindOf.putIfAbsent(n, kind);
            if (before != null && !before.equals(kind)) {
              // The line of this language's own list: the clash may come from the default language's words.
              Integer line = keyLines.getOrDefault(l.code(), Map.of()).get("words." + (source == fallback && c != fallback ? before : kind));
              problems.add(new Problem(dir.resolve("messages/" + l.code() + ".yaml").toString(), line == null ? 1 : line,
                  "'" + w + "' is in words." + before + " and words." + kind + (source == fallback && c != fallback ? " (the "
                  + languages.fallback().code() + " words work in every language)" : "") + "; a word must mean one thing"));
            }
          }
        }
      }
    }
  }
}
