package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.config.Problem;
import org.sathi.flow.FlowBundle;
import org.sathi.i18n.Language;
import org.sathi.i18n.SmsSegments;
import org.sathi.testing.TestHotline;

/** {@code config/replies.yaml}: the shipped replies, and each problem the loader names with file:line. */
class CannedRepliesTest {
  static final List<String> LANGUAGES = List.of("en", "bn", "th");

  @TempDir
  Path tmp;

  /** A file of this YAML, loaded for the languages en, bn and th with a budget of 2 segments. */
  CannedReplies.Loaded load(String yaml) throws Exception {
    Path file = tmp.resolve("replies.yaml");
    Files.writeString(file, yaml);
    return CannedReplies.load(file, LANGUAGES, "en", 2);
  }

  static String reply(String id, String bn) {
    return """
          - id: %s
            meaning:
              en: "Are you safe to talk now?"
            text:
              en: "Are you safe to talk now?"
              bn: "%s"
              th: "ตอนนี้คุยได้อย่างปลอดภัยไหม?"
        """.formatted(id, bn);
  }

  /** The only problem of a file: its text as validate prints it. */
  static String only(CannedReplies.Loaded loaded) {
    assertThat(loaded.replies()).isNull();
    assertThat(loaded.problems()).hasSize(1);
    return loaded.problems().get(0).toString();
  }

  String file() {
    return tmp.resolve("replies.yaml").toString();
  }

  // ---- the shipped file

  @Test
  void theShippedRepliesHaveEveryFlowLanguageWithinTwoSegmentsAndAreMarkedDraft() throws Exception {
    FlowBundle bundle = TestHotline.shippedFlows(TestHotline.config());
    List<String> languages = bundle.languages().enabled().stream().map(Language::code).toList();
    assertThat(languages).hasSize(12);
    CannedReplies.Loaded loaded = CannedReplies.load(Path.of("config/replies.yaml"), languages, "en", 2);
    assertThat(loaded.problems()).isEmpty();
    CannedReplies replies = loaded.replies();
    assertThat(replies.replies()).extracting(CannedReplies.Reply::id).containsExactly("passed-on", "safe-to-talk", "safe-time", "working",
        "danger-now", "keep-code", "which-place", "delete-messages");
    for (CannedReplies.Reply r : replies.replies()) {
      assertThat(r.meaning()).as(r.id()).containsKeys("en", "bn");
      assertThat(r.text().keySet()).as(r.id()).containsExactlyInAnyOrderElementsOf(languages);
      for (String lang : languages) {
        String text = replies.text(r, lang, "ACDE-FGHJ");
        assertThat(SmsSegments.of(text).segments()).as(r.id() + " in " + lang).isLessThanOrEqualTo(2);
        assertThat(text).as("no number, link or service name on a shared phone").doesNotContainPattern("\\d{3,}|http|www\\.");
      }
    }
    assertThat(replies.text(replies.find("keep-code").orElseThrow(), "bn", "ACDE-FGHJ")).isEqualTo("ধন্যবাদ। আপনার কোড ACDE-FGHJ। এটি সাবধানে রাখুন।");
    assertThat(replies.drafts()).as("every language but English is a draft").containsExactlyElementsOf(languages.subList(1, 12));
  }

  @Test
  void aMissingFileIsNoReplies() {
    CannedReplies.Loaded loaded = CannedReplies.load(tmp.resolve("none.yaml"), LANGUAGES, "en", 2);
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.replies().replies()).isEmpty();
  }

  @Test
  void aGoodFileLoadsWithMeaningsFallingBackToTheDefaultLanguage() throws Exception {
    CannedReplies.Loaded loaded = load("replies:\n" + reply("safe-to-talk", "এখন কি নিরাপদে কথা বলতে পারবেন?"));
    assertThat(loaded.problems()).isEmpty();
    CannedReplies.Reply r = loaded.replies().find("safe-to-talk").orElseThrow();
    assertThat(loaded.replies().meaning(r, "bn")).isEqualTo(java.util.Map.entry("en", "Are you safe to talk now?"));
    assertThat(loaded.replies().text(r, "bn", "ACDE-FGHJ")).isEqualTo("এখন কি নিরাপদে কথা বলতে পারবেন?");
    assertThat(loaded.replies().text(r, "vi", "ACDE-FGHJ")).isNull();
  }

  // ---- one test per kind of problem

  @Test
  void anUnknownLanguageIsNamedWithItsLine() throws Exception {
    String yaml = "replies:\n" + reply("safe-to-talk", "এখন কি নিরাপদে কথা বলতে পারবেন?").replace("      th:", "      xx: \"?\"\n      th:");
    assertThat(only(load(yaml))).isEqualTo(file() + ":8: unknown language 'xx'; the flows' languages are en, bn, th (ivr-flows/languages.yaml)");
  }

  @Test
  void aReplyMissingALanguageOfTheFlowsIsRefused() throws Exception {
    String yaml = "replies:\n" + reply("safe-to-talk", "এখন কি নিরাপদে কথা বলতে পারবেন?").replaceAll("(?m)^ +th: .*\n", "");
    assertThat(only(load(yaml))).isEqualTo(file() + ":5: reply 'safe-to-talk' has no text in th: every language the flows use needs one,"
        + " or its reporters cannot get this reply");
  }

  @Test
  void aTextOverTheSmsBudgetNamesTheSegmentsCounted() throws Exception {
    String long_ = "আমরা আপনার কথা শুনেছি। ".repeat(7).strip(); // 160 UTF-16 units: three UCS-2 segments of 67
    assertThat(long_.length()).isBetween(135, 201);
    assertThat(only(load("replies:\n" + reply("safe-to-talk", long_)))).isEqualTo(file() + ":7: reply 'safe-to-talk': the bn text needs 3 SMS"
        + " segments (UCS-2, " + long_.length() + " UTF-16 units: 70 in one segment, 67 a segment once split); a prepared reply fits 2: shorten it");
  }

  @Test
  void theBudgetCountsTheFilledReferenceCode() throws Exception {
    // 125 units and a 9-character code: 134 fits two UCS-2 segments exactly; one more unit does not.
    String fits = "ক".repeat(125) + "{reference}";
    String yaml = "replies:\n" + reply("keep-code", fits).replace("\"Are you safe to talk now?\"\n      bn", "\"Your code is {reference}.\"\n      bn")
        .replace("ไหม?\"", "ไหม? {reference}\"");
    assertThat(load(yaml).problems()).isEmpty();
    assertThat(only(load(yaml.replace(fits, "ক" + fits)))).contains(":7: reply 'keep-code': the bn text needs 3 SMS segments (UCS-2, 135 UTF-16"
        + " units").contains("with a 9-character {reference}");
  }

  @Test
  void aDuplicateIdNamesBothLines() throws Exception {
    String yaml = "replies:\n" + reply("safe-to-talk", "এখন কি?") + reply("safe-to-talk", "এখন?");
    assertThat(only(load(yaml))).isEqualTo(file() + ":9: reply 'safe-to-talk' is listed twice (first at line 2)");
  }

  @Test
  void aPlaceholderSathiDoesNotFillIsRefused() throws Exception {
    String yaml = "replies:\n" + reply("passed-on", "আমরা এটি {service}-এ পাঠিয়েছি।");
    assertThat(only(load(yaml))).isEqualTo(file() + ":7: reply 'passed-on': the bn text names {service}, which Sathi does not fill;"
        + " replies may use {reference}");
  }

  @Test
  void aBraceThatIsNoPlaceholderIsRefused() throws Exception {
    String yaml = "replies:\n" + reply("keep-code", "আপনার কোড {reference");
    assertThat(only(load(yaml))).isEqualTo(file() + ":7: reply 'keep-code': the bn text has a '{' that does not start a placeholder;"
        + " a placeholder is {name}, and replies may use {reference}");
  }

  @Test
  void aLanguageThatLeavesOutThePlaceholderOfTheDefaultOneIsRefused() throws Exception {
    String yaml = "replies:\n" + reply("keep-code", "আপনার কোড {reference}।").replace("en: \"Are you safe to talk now?\"\n      bn",
        "en: \"Your code is {reference}.\"\n      bn");
    // th has no {reference}: a Thai reporter would never get their code.
    assertThat(only(load(yaml))).isEqualTo(file() + ":8: reply 'keep-code': the th text lacks {reference}, unlike the en text: every language"
        + " must say the same");
  }

  @Test
  void aReplyWithoutAMeaningInTheDefaultLanguageIsRefused() throws Exception {
    String yaml = "replies:\n" + reply("safe-to-talk", "এখন কি?").replace("      en: \"Are you safe to talk now?\"\n    text", "      bn: \"এখন কি?\"\n    text");
    assertThat(only(load(yaml))).isEqualTo(file() + ":3: reply 'safe-to-talk' has no meaning in en, the default language the console falls back to");
  }

  @Test
  void aBadIdAndAnUnknownFieldAreNamed() throws Exception {
    String yaml = "replies:\n" + reply("Safe To Talk", "এখন কি?").replace("    meaning:", "    colour: red\n    meaning:");
    assertThat(load(yaml).problems()).extracting(Problem::toString).containsExactly(
        file() + ":2: id 'Safe To Talk' must be lower-case letters, digits and '-'",
        file() + ":3: unknown field 'colour'; allowed here: id, meaning, text");
  }

  @Test
  void aReviewOfAnUnknownLanguageIsNamed() throws Exception {
    String yaml = "review:\n  en: \"reviewed: source language\"\n  fr: \"draft\"\nreplies:\n" + reply("safe-to-talk", "এখন কি?");
    assertThat(only(load(yaml))).isEqualTo(file() + ":3: unknown language 'fr'; the flows' languages are en, bn, th (ivr-flows/languages.yaml)");
  }

  @Test
  void notValidYamlIsNamedWithItsLine() throws Exception {
    assertThat(only(load("replies:\n  - id: x\n    text: [\n"))).startsWith(file() + ":");
    assertThat(only(load("replies: 3\n"))).isEqualTo(file() + ":1: 'replies' must be a list of { id, meaning, text }");
  }
}
