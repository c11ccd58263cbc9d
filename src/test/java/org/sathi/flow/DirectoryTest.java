package org.sathi.flow;

import org.sathi.flow.load.FlowLoader;
import org.sathi.config.Problem;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.i18n.SmsText;

/** "Numbers abroad": the country the caller is in, then its numbers and their own embassy's, from config/directory.yaml. */
class DirectoryTest {
  static final Map<String, String> NUMBERS = Map.of("emergency", "999", "childHelpline", "1098", "womenHelpline", "109");

  static FlowBundle shipped() {
    FlowLoader.Result r = FlowLoader.load(Path.of("ivr-flows"), NUMBERS, 2, Path.of("config/directory.yaml"));
    assertThat(r.problems()).isEmpty();
    return r.bundle();
  }

  static Step walk(Engine engine, String language, String... inputs) {
    Step step = engine.advance(null, new Input.Start(language, false));
    for (String in : inputs) step = engine.advance(step.next(), new Input.Text(in));
    return step;
  }

  @Test
  void aCallerPicksTheCountryAndSeesItsNumbersWithTheirOwnEmbassy() {
    Engine engine = new Engine(shipped(), () -> "ABCD-EFGH", 2);
    Step countries = walk(engine, "en", "2", "6");
    assertThat(SmsText.render(countries.prompts())).startsWith("Which country are you in?\n1. Malaysia\n2. Saudi Arabia");
    Step malaysia = engine.advance(countries.next(), new Input.Text("1"));
    assertThat(SmsText.render(malaysia.prompts())).isEqualTo("Emergency: 999\nPolice: 999\nHelpline: 15999\n1. Other topics");
    Step bengali = walk(engine, "bn", "2", "6", "1");
    assertThat(SmsText.render(bengali.prompts())).contains("+00 000 0001").contains("15999");
    Step back = engine.advance(malaysia.next(), new Input.Text("1"));
    assertThat(back.next().node()).isEqualTo("guidance.topics");
  }

  @Test
  void aWrongKeyAtTheNumbersSaysSoWithoutSendingThemAgain() {
    Engine engine = new Engine(shipped(), () -> "ABCD-EFGH", 2);
    Step numbers = walk(engine, "en", "2", "6", "2");
    Step wrong = engine.advance(numbers.next(), new Input.Text("7"));
    assertThat(SmsText.render(wrong.prompts())).isEqualTo("Please reply with a number from the list.\n1. Other topics");
  }

  @Test
  void aBrokenDirectoryNamesEachProblemWithItsLine(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("directory.yaml");
    Files.writeString(file, """
        countries:
          - code: my
            emergency: "call us"
          - code: SA
            embassy: { xx: "+00 1" }
          - code: SA
            police: "999"
            colour: red
        """);
    FlowLoader.Result r = FlowLoader.load(Path.of("ivr-flows"), NUMBERS, 2, file);
    assertThat(r.problems()).extracting(Problem::toString).contains(
        file + ":2: country code 'my' must be two capital letters (ISO 3166), such as MY",
        file + ":3: 'call us' is not a phone number",
        file + ":5: embassy numbers are by the caller's language; 'xx' is not an enabled language",
        file + ":6: country SA is listed twice",
        file + ":8: unknown field 'colour'; allowed here: code, embassy, emergency, helpline, police, sample");
  }
}
