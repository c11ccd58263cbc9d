package org.sathi.flow;

import org.sathi.flow.load.FlowLoader;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sathi.i18n.Language;
import org.sathi.i18n.SmsText;

/** The shipped language menu: twelve languages, eight a screen, 9 for the others, on SMS and on calls alike. */
class LanguageMenuTest {
  static FlowBundle bundle;
  static Engine engine;

  @BeforeAll
  static void load() {
    FlowLoader.Result r = FlowLoader.load(Path.of("ivr-flows"), Map.of("emergency", "999", "childHelpline", "1098", "womenHelpline", "109"), 2);
    assertThat(r.problems()).isEmpty();
    bundle = r.bundle();
    engine = new Engine(bundle, () -> "ABCD-EFGH", 2);
  }

  Step toLanguageMenu() {
    Step start = engine.advance(null, new Input.Start("en", false));
    return engine.advance(start.next(), new Input.Text("0"));
  }

  @Test
  void theFirstScreenShowsEightLanguagesInTheirOwnNamesAndNineForMore() {
    List<Language> all = bundle.languages().enabled();
    assertThat(all).hasSize(12);
    String screen = SmsText.render(toLanguageMenu().prompts());
    assertThat(screen.split("\n")).hasSize(1 + 8 + 1);
    assertThat(screen).contains("1. English").contains("2. বাংলা").contains("8. " + all.get(7).name()).endsWith("9. More");
    assertThat(screen).doesNotContain(all.get(8).name());
  }

  @Test
  void nineShowsTheOthersAndTheirDigitsPickThem() {
    List<Language> all = bundle.languages().enabled();
    Step second = engine.advance(toLanguageMenu().next(), new Input.Text("9"));
    String screen = SmsText.render(second.prompts());
    assertThat(screen).contains("1. " + all.get(8).name()).contains("4. " + all.get(11).name()).endsWith("9. More");
    Step picked = engine.advance(second.next(), new Input.Digits("2"));
    assertThat(picked.next().language()).isEqualTo(all.get(9).code());
    assertThat(picked.next().node()).isEqualTo(bundle.mainMenu());
  }

  @Test
  void nineOnTheLastScreenGoesBackToTheFirstAndANameWorksFromAnyScreen() {
    Step second = engine.advance(toLanguageMenu().next(), new Input.Text("9"));
    Step first = engine.advance(second.next(), new Input.Text("9"));
    assertThat(SmsText.render(first.prompts())).contains("1. English");
    Step byName = engine.advance(first.next(), new Input.Text("tagalog"));
    assertThat(byName.next().language()).isEqualTo("tl");
  }
}
