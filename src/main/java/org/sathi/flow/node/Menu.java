package org.sathi.flow.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.sathi.flow.Node;
import org.sathi.flow.Turn;

/** A numbered choice of where to go: {@code type: menu}. */
public record Menu(String id, String prompt, List<Option> options, String invalid, String timeout, int timeoutSeconds, Source source)
    implements Node.Waiting {

  public static final NodeKind KIND = new NodeKind("menu", NodeKind.waiting("prompt", "options"), Menu::read);

  static Menu read(NodeReader in) {
    // A menu must say where a caller goes after three invalid answers and after silence.
    String invalid = in.target("invalid", true);
    String timeout = in.target("timeout", true);
    return new Menu(in.id(), in.key("prompt", true), in.options(true), invalid, timeout, in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    List<String> out = new ArrayList<>();
    options.forEach(o -> out.add(o.target()));
    out.add(invalid);
    out.add(timeout);
    return out;
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(prompt);
    Node.optionKeys(options, keys, digits);
  }

  @Override
  public void render(Turn turn) {
    turn.say(prompt);
    for (Option o : options) turn.option(o.digit(), o.label());
  }

  @Override
  public void answer(Turn turn, String raw, String text) {
    turn.pick(options, text).ifPresentOrElse(o -> turn.leave(o.target()), turn::invalid);
  }

  @Override
  public boolean offersLanguageChange() {
    return Node.hasNoZero(options);
  }
}
