package org.sathi.flow.node;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sathi.flow.Areas;
import org.sathi.flow.Engine;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/**
 * Where a concern is, as a short choice: {@code type: area}. The options are the first-level areas
 * of the caller's own country ({@code config/places.yaml}: Bangladesh's divisions), by digit, then
 * {@code other} ("Other / don't know"); the chosen area's ISO 3166-2 code is saved under {@code save}.
 * A caller may also type a name: the most specific area it names is saved (a district). A caller
 * whose country has no areas is not asked: the node leads straight to {@code next}.
 *
 * <p>More than {@value #PER_SCREEN} areas take several screens: {@value #PER_PAGE} a screen and
 * {@value #MORE_DIGIT}. More; "other" is always {@value #OTHER_DIGIT}. The conversation's page is the screen.
 */
public record AreaChoice(String id, String prompt, String other, String save, String next, String invalid, String timeout, int timeoutSeconds,
    Source source) implements Node.Waiting {

  public static final NodeKind KIND = new NodeKind("area", NodeKind.waiting("prompt", "other", "save", "next"), AreaChoice::read);

  /** What "other / don't know" saves: the same as a question's "don't know". */
  public static final String UNKNOWN = Question.UNKNOWN;
  /** A country with at most this many first-level areas has them on one screen, 1 to 8. */
  static final int PER_SCREEN = 8;
  /** Otherwise this many a screen, 1 to 7, and 8 for the next screen. */
  static final int PER_PAGE = 7;
  static final String MORE_DIGIT = "8";
  static final String OTHER_DIGIT = "9";

  static AreaChoice read(NodeReader in) {
    return new AreaChoice(in.id(), in.key("prompt", true), in.key("other", true), in.string("save", true), in.target("next", true),
        in.target("invalid", false), in.target("timeout", false), in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    return Arrays.asList(next, invalid, timeout);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(prompt);
    keys.add(other);
    keys.add("common.more"); // a long list pages
    for (int d = 1; d <= 9; d++) digits.add(String.valueOf(d));
  }

  @Override
  public String saves() {
    return save;
  }

  @Override
  public List<String> towardsReport() {
    return List.of(next);
  }

  private static List<Areas.Choice> choices(Turn turn) {
    return turn.bundle().areas().choices(turn.callingCode(), turn.conversation().language());
  }

  @Override
  public String skip(Turn turn) {
    return choices(turn).isEmpty() ? next : null;
  }

  /** How many screens a country's first-level areas take. */
  public static int screens(int areas) {
    return areas <= PER_SCREEN ? 1 : (areas + PER_PAGE - 1) / PER_PAGE;
  }

  @Override
  public void render(Turn turn) {
    List<Areas.Choice> all = choices(turn);
    int pages = screens(all.size());
    int page = Math.min(turn.conversation().page(), pages - 1);
    int size = pages == 1 ? PER_SCREEN : PER_PAGE;
    turn.say(prompt);
    for (int i = page * size; i < Math.min(all.size(), (page + 1) * size); i++) {
      Areas.Choice c = all.get(i);
      turn.option(String.valueOf(i - page * size + 1), "area." + c.code(), c.name());
    }
    if (pages > 1) turn.option(MORE_DIGIT, "common.more");
    turn.option(OTHER_DIGIT, other);
  }

  @Override
  public void answer(Turn turn, String raw, String text) {
    List<Areas.Choice> all = choices(turn);
    int pages = screens(all.size());
    int page = Math.min(turn.conversation().page(), pages - 1);
    int size = pages == 1 ? PER_SCREEN : PER_PAGE;
    if (pages > 1 && (text.equals(MORE_DIGIT) || turn.isWord("more", text))) {
      turn.page((page + 1) % pages);
      turn.render(this);
      return;
    }
    if (text.equals(OTHER_DIGIT) || turn.isWord("dontknow", text) || Engine.normalize(turn.catalog().text(other)).equals(text)) {
      choose(turn, UNKNOWN);
      return;
    }
    if (text.matches("[1-9]")) {
      int i = page * size + Integer.parseInt(text) - 1;
      if (Integer.parseInt(text) <= size && i < all.size()) {
        choose(turn, all.get(i).code());
        return;
      }
      turn.invalid();
      return;
    }
    // A name typed instead of a digit: the area it names, a district where it names one.
    Optional<String> named = turn.bundle().areas().match(turn.callingCode(), turn.conversation().language(), raw, null);
    if (named.isPresent()) choose(turn, named.get());
    else turn.invalid();
  }

  private void choose(Turn turn, String value) {
    turn.save(save, value);
    turn.leave(next);
  }

  @Override
  public boolean offersLanguageChange() {
    return true;
  }
}
