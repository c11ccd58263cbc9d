package org.sathi.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Our SMS arithmetic against Twilio's own segment calculator (fixtures/sms-segments.json). */
class SmsSegmentsTest {

  @TestFactory
  List<DynamicTest> agreesWithTwiliosCalculator() throws Exception {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/sms-segments.json")) {
      root = new ObjectMapper().readTree(in);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      String text = c.get("text").asText();
      String name = text.length() > 30 ? text.substring(0, 30) + "… (" + text.length() + ")" : text;
      tests.add(DynamicTest.dynamicTest(name, () -> {
        SmsSegments s = SmsSegments.of(text);
        String encoding = s.encoding() == SmsSegments.Encoding.GSM_7 ? "GSM-7" : "UCS-2";
        assertThat(encoding).as("encoding").isEqualTo(c.get("encoding").asText());
        assertThat(s.segments()).as("segments").isEqualTo(c.get("segments").asInt());
      }));
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(40);
    return tests;
  }

  @Test
  void extensionCharactersCostTwoSeptets() {
    assertThat(SmsSegments.of("€").units()).isEqualTo(2);
    assertThat(SmsSegments.of("{[]}").units()).isEqualTo(8);
  }

  @Test
  void anExtensionCharacterOrAnEmojiIsNeverSplitAcrossParts() {
    // 152 septets of 'a' then '€' (2 septets): the '€' cannot start in part one's last septet.
    assertThat(SmsSegments.of("a".repeat(152) + "€" + "a".repeat(152)).segments()).isEqualTo(3);
    assertThat(SmsSegments.of("a".repeat(151) + "€" + "a".repeat(153)).segments()).isEqualTo(2);
    // 66 units then an emoji (2 units): the emoji moves to part two.
    assertThat(SmsSegments.of("অ".repeat(66) + "😀" + "অ".repeat(66)).segments()).isEqualTo(3);
    assertThat(SmsSegments.of("অ".repeat(65) + "😀" + "অ".repeat(67)).segments()).isEqualTo(2);
  }

  @Test
  void pagesFitTheBudgetWithTheirFooter() {
    String text = "অ ".repeat(300).strip();
    List<String> pages = SmsText.pages(text, "1. আরও", 2);
    assertThat(pages).hasSizeGreaterThan(1);
    for (String page : pages) assertThat(SmsSegments.of(page + "\n1. আরও").segments()).isLessThanOrEqualTo(2);
    assertThat(String.join(" ", pages)).isEqualTo(text);
  }
}
