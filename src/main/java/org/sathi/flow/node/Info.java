package org.sathi.flow.node;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.sathi.flow.Engine;
import org.sathi.flow.Node;
import org.sathi.flow.Step.Wait;
import org.sathi.flow.Turn;

/**
 * Long content, such as safe-migration guidance: {@code type: info}. Paged to the SMS budget; 1 shows
 * the next page, and on the last page {@code done} leads to {@code next}.
 */
public record Info(String id, String content, String done, String next, String invalid, String timeout, int timeoutSeconds, Source source)
    implements Node.Waiting {

  public static final NodeKind KIND = new NodeKind("info", NodeKind.waiting("content", "done", "next"), Info::read);

  static Info read(NodeReader in) {
    return new Info(in.id(), in.key("content", true), in.keyOr("done", "common.continue"), in.target("next", true),
        in.target("invalid", false), in.target("timeout", false), in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    return Arrays.asList(next, invalid, timeout);
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(content);
    keys.add(done);
    digits.add(Engine.MORE_DIGIT);
  }

  @Override
  public void render(Turn turn) {
    List<String> pages = turn.pages(content, done);
    int page = Math.min(turn.conversation().page(), pages.size() - 1);
    turn.line(content + "#" + (page + 1), pages.get(page));
    footer(turn);
  }

  /** "1. More", or on the last page "1. Continue". */
  private void footer(Turn turn) {
    boolean last = turn.conversation().page() >= turn.pages(content, done).size() - 1;
    turn.option(Engine.MORE_DIGIT, last ? done : "common.more");
    turn.expect(Wait.MORE);
  }

  @Override
  public void answer(Turn turn, String raw, String text) {
    if (!text.equals(Engine.MORE_DIGIT) && !turn.isWord("more", text)) {
      turn.invalid();
      return;
    }
    if (turn.conversation().page() + 1 < turn.pages(content, done).size()) {
      turn.page(turn.conversation().page() + 1);
      render(turn);
    } else {
      turn.leave(next);
    }
  }

  @Override
  public Wait waits() {
    return Wait.MORE;
  }

  /** The caller has the page already; sending it again would cost a full reply. */
  @Override
  public void remind(Turn turn, int hintAt) {
    footer(turn);
  }

  @Override
  public boolean offersLanguageChange() {
    return true;
  }
}
