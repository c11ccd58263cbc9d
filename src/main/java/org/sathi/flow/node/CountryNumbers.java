package org.sathi.flow.node;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.flow.Directory;
import org.sathi.flow.Engine;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/**
 * Numbers abroad: {@code type: directory}. The caller picks the country they are in (from
 * {@code config/directory.yaml}), then sees its numbers, with {@code done} leading to {@code next}.
 * The conversation's page is 0 on the list of countries, and the country's place (from 1) after.
 */
public record CountryNumbers(String id, String prompt, String done, String next, String invalid, String timeout, int timeoutSeconds,
    Source source) implements Node.Waiting {

  public static final NodeKind KIND = new NodeKind("directory", NodeKind.waiting("prompt", "done", "next"), CountryNumbers::read);

  static CountryNumbers read(NodeReader in) {
    return new CountryNumbers(in.id(), in.key("prompt", true), in.keyOr("done", "common.continue"), in.target("next", true),
        in.target("invalid", false), in.target("timeout", false), in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    return Arrays.asList(next, invalid, timeout);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(prompt);
    keys.add(done);
    digits.add(Engine.MORE_DIGIT);
  }

  @Override
  public void render(Turn turn) {
    List<Directory.Country> countries = turn.bundle().directory().countries();
    int page = Math.min(turn.conversation().page(), countries.size());
    if (page == 0) {
      turn.say(prompt);
      for (int i = 0; i < countries.size(); i++) turn.option(String.valueOf(i + 1), "country." + countries.get(i).code());
      return;
    }
    for (Map.Entry<String, String> n : Directory.numbersFor(countries.get(page - 1), turn.conversation().language())) {
      String key = "directory." + n.getKey();
      turn.line(key, turn.catalog().text(key) + ": " + n.getValue());
    }
    turn.option(Engine.MORE_DIGIT, done);
  }

  @Override
  public void answer(Turn turn, String raw, String text) {
    List<Directory.Country> countries = turn.bundle().directory().countries();
    if (turn.conversation().page() == 0) {
      for (int i = 0; i < countries.size(); i++) {
        if (String.valueOf(i + 1).equals(text) || Engine.normalize(turn.catalog().text("country." + countries.get(i).code())).equals(text)) {
          turn.page(i + 1);
          turn.render(this);
          return;
        }
      }
      turn.invalid();
    } else if (text.equals(Engine.MORE_DIGIT) || turn.isWord("more", text)) {
      turn.leave(next);
    } else {
      turn.invalid();
    }
  }

  /** On a country's numbers, the caller has them already: the hint and "1. Continue". */
  @Override
  public void remind(Turn turn, int hintAt) {
    if (turn.conversation().page() > 0) {
      turn.option(Engine.MORE_DIGIT, done);
      turn.expect(waits());
    } else {
      Node.Waiting.super.remind(turn, hintAt);
    }
  }

  @Override
  public boolean offersLanguageChange() {
    return true;
  }
}
