package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./sathi validate}: the shipped flows pass; a broken copy prints every problem as file:line and exits 1. */
class ValidateCommandTest {

  static String run(List<String> args, int expectedStatus) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = Main.validate(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(out).isEqualTo(expectedStatus);
    return out;
  }

  @Test
  void shippedFlowsAreValid() {
    String out = run(List.of(), 0);
    assertThat(out).startsWith("OK:").contains("largest reply in en").contains("largest reply in bn")
        .contains("bn is marked 'draft: needs review by a native Bengali speaker'")
        .contains("places: BD 8 divisions, 64 districts; NP 7 provinces (config/places.yaml)");
  }

  @Test
  void twelveLanguagesAreCompleteWithinTheBudgetAndSayWhereTheirCallPromptsComeFrom() {
    String out = run(List.of(), 0);
    List<String> codes = List.of("en", "bn", "hi", "ne", "ur", "my", "th", "km", "lo", "vi", "id", "tl");
    assertThat(out).contains("every reply fits 2 SMS segments");
    for (String code : codes) {
      assertThat(out).contains("complete in " + code + ": ").contains("largest reply in " + code + ": ").contains("calls in " + code + ": ");
      assertThat(out).containsPattern("complete in " + code + ": (\\d+) of \\1 message keys \\(100%\\)");
    }
    assertThat(out).contains("calls in km: SMS only").contains("calls in lo: SMS only").contains("calls in hi: TTS Polly.Aditi (hi-IN)");
  }

  @Test
  void theSmsReportGivesEveryMessageItsSizeInEveryLanguageAndTheLargestReplies() {
    String out = run(List.of("--sms-report"), 0);
    assertThat(out).contains("SMS cost of every message").contains("the budget is 2 segments");
    String mainPrompt = out.lines().filter(l -> l.startsWith("main.prompt ")).findFirst().orElseThrow();
    assertThat(mainPrompt.split("\\s+")).hasSize(1 + 12 * 3);
    assertThat(out).containsPattern("(?m)^bn\\s+[12]\\s+\\d+\\s+UCS-2 ").containsPattern("(?m)^en\\s+[12]\\s+\\d+\\s+GSM-7 ");
    assertThat(out).doesNotContain("voice.option");
  }

  @Test
  void brokenFlowsPrintEveryProblemWithFileAndLine(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ivr-flows");
    copy(Path.of("ivr-flows"), dir);
    Path report = dir.resolve("flows/report.yaml");
    String text = Files.readString(report)
        .replace("    next: what\n", "    next: whta\n")
        .replace("    type: message\n", "    type: mesage\n");
    Files.writeString(report, text);
    Path bn = dir.resolve("messages/bn.yaml");
    Files.writeString(bn, Files.readString(bn).replaceAll("(?m)^report\\.place:.*\\n", ""));

    String out = run(List.of(dir.toString()), 1);
    List<String> lines = text.lines().toList();
    int whta = lines.indexOf("    next: whta") + 1;
    int mesage = lines.indexOf("    type: mesage") + 1;
    int place = lines.indexOf("    prompt: report.place") + 1;
    assertThat(out)
        .contains(report + ":" + whta + ": exit to missing node 'whta'")
        .contains(report + ":" + mesage + ": unknown node type 'mesage'")
        .contains(report + ":" + place + ": message key 'report.place' is missing in bn")
        .contains("problem(s) in " + dir);
  }

  @Test
  void aWordThatWouldMeanTwoThingsIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ivr-flows");
    copy(Path.of("ivr-flows"), dir);
    Path bn = dir.resolve("messages/bn.yaml");
    // "x" is English's quick-exit word, and English words work in every language.
    Files.writeString(bn, Files.readString(bn).replaceFirst("(?m)^words\\.back: \\[", "words.back: [x, "));
    String out = run(List.of(dir.toString()), 1);
    int line = Files.readString(bn).lines().toList().indexOf(Files.readString(bn).lines().filter(l -> l.startsWith("words.back:")).findFirst().orElseThrow()) + 1;
    assertThat(out).contains(bn + ":" + line + ": 'x' is in words.back and words.exit (the en words work in every language); a word must mean one thing");
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }
}
