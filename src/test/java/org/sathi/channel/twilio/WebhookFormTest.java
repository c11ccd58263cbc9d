package org.sathi.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookFormTest {

  static WebhookForm parse(String s) throws WebhookForm.Malformed {
    return WebhookForm.parse(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void decodesPlusAndPercentAndUtf8() throws Exception {
    WebhookForm f = parse("From=%2B8801700000001&Body=%E0%A6%B9%E0%A7%8D%E0%A6%AF%E0%A6%BE+1&Empty=&Bare");
    assertThat(f.get("From")).isEqualTo("+8801700000001");
    assertThat(f.get("Body")).isEqualTo("হ্যা 1");
    assertThat(f.get("Empty")).isEmpty();
    assertThat(f.get("Bare")).isEmpty();
  }

  @Test
  void emptyBodyHasNoFields() throws Exception {
    assertThat(parse("").fields()).isEmpty();
  }

  @Test
  void refusesInvalidUtf8() {
    assertThatThrownBy(() -> parse("Body=%C3%28")).isInstanceOf(WebhookForm.Malformed.class).hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> WebhookForm.parse(new byte[] {'B', '=', (byte) 0xff})).isInstanceOf(WebhookForm.Malformed.class);
  }

  @Test
  void refusesBadPercentEncodingAndRepeatedFields() {
    assertThatThrownBy(() -> parse("Body=%G1")).isInstanceOf(WebhookForm.Malformed.class);
    assertThatThrownBy(() -> parse("Body=abc%4")).isInstanceOf(WebhookForm.Malformed.class);
    assertThatThrownBy(() -> parse("From=a&From=b")).isInstanceOf(WebhookForm.Malformed.class).hasMessageContaining("twice");
  }

  @Test
  void refusalNeverEchoesAValue() {
    assertThatThrownBy(() -> parse("%2B8801700000001=1&%2B8801700000001=2"))
        .isInstanceOf(WebhookForm.Malformed.class)
        .hasMessageNotContaining("8801700000001");
  }
}
