package org.sathi.flow;

import org.sathi.flow.load.FlowLoader;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sathi.i18n.SmsText;

/** Conversations saved by an older version of the flows must never leave a caller stuck. */
class EngineRobustnessTest {
  static Engine engine;

  @BeforeAll
  static void load() {
    FlowLoader.Result r = FlowLoader.load(Path.of("ivr-flows"), Map.of("emergency", "999", "childHelpline", "1098", "womenHelpline", "109"), 3);
    assertThat(r.problems()).isEmpty();
    engine = new Engine(r.bundle(), () -> "TEST-0001", 3);
  }

  static Conversation at(String node, List<String> history) {
    return new Conversation("bn", node, 0, 0, 0, history, Map.of(), false);
  }

  @Test
  void aNodeRemovedFromTheFlowsRestartsAtTheMainMenu() {
    for (Input input : List.of(new Input.Text("1"), new Input.Digits("1"), new Input.Timeout(), new Input.Recording("https://x/r.mp3"))) {
      Step step = engine.advance(at("report.removed_question", List.of()), input);
      assertThat(step.next().node()).as(input.toString()).isEqualTo("main.menu");
      assertThat(step.next().language()).isEqualTo("bn");
    }
  }

  @Test
  void backToARemovedNodeGoesToTheMainMenu() {
    Step step = engine.advance(at("report.what", List.of("report.gone")), new Input.Text("back"));
    assertThat(step.next().node()).isEqualTo("main.menu");
  }

  @Test
  void textWithoutAConversationStartsOneInTheDefaultLanguage() {
    Step step = engine.advance(null, new Input.Text("hello"));
    assertThat(step.next().node()).isEqualTo("main.menu");
    assertThat(step.next().language()).isEqualTo("en");
    assertThat(SmsText.render(step.prompts())).startsWith("Sathi.");
  }
}
