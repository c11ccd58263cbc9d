package org.sathi.flow.node;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.sathi.flow.Engine;
import org.sathi.flow.Limits;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;
import org.sathi.i18n.Language;

/**
 * The language menu: {@code type: language}. Each enabled language by its digit, its name or its
 * code, {@value Limits#LANGUAGES_PER_PAGE} to a screen, 9 for the next screen.
 */
public record LanguageChoice(String id, String prompt, String next, String invalid, String timeout, int timeoutSeconds, Source source)
    implements Node.Waiting {

  public static final NodeKind KIND = new NodeKind("language", NodeKind.waiting("prompt", "next"), LanguageChoice::read);

  static LanguageChoice read(NodeReader in) {
    return new LanguageChoice(in.id(), in.key("prompt", true), in.target("next", true), in.target("invalid", false),
        in.target("timeout", false), in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    return Arrays.asList(next, invalid, timeout);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(prompt); // the languages' digits and "more" are the engine's, counted by the loader
  }

  @Override
  public void render(Turn turn) {
    turn.say(prompt);
    List<Language> languages = turn.bundle().languages().enabled();
    int page = Math.min(turn.conversation().page(), turn.languagePages() - 1);
    int from = page * Limits.LANGUAGES_PER_PAGE;
    for (int i = from; i < Math.min(languages.size(), from + Limits.LANGUAGES_PER_PAGE); i++) {
      Language l = languages.get(i);
      turn.option(String.valueOf(i - from + 1), "language." + l.code(), l.name());
    }
    if (turn.languagePages() > 1) turn.option(Engine.MORE_LANGUAGES_DIGIT, "common.more");
  }

  @Override
  public void answer(Turn turn, String raw, String text) {
    List<Language> languages = turn.bundle().languages().enabled();
    int pages = turn.languagePages();
    int page = Math.min(turn.conversation().page(), pages - 1);
    if (pages > 1 && text.equals(Engine.MORE_LANGUAGES_DIGIT)) {
      turn.page((page + 1) % pages);
      turn.render(this);
      return;
    }
    for (int i = 0; i < languages.size(); i++) {
      Language l = languages.get(i);
      boolean onPage = i / Limits.LANGUAGES_PER_PAGE == page && String.valueOf(i % Limits.LANGUAGES_PER_PAGE + 1).equals(text);
      if (onPage || Engine.normalize(l.name()).equals(text) || l.code().equals(text)) {
        turn.language(l.code());
        turn.leave(next);
        return;
      }
    }
    turn.invalid();
  }

  @Override
  public boolean choosesLanguage() {
    return true;
  }
}
