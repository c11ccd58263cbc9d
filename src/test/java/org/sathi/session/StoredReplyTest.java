package org.sathi.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredReplyTest {
  @Test
  void aLongReplyIsStoredSmallerAndReadBackTheSame() {
    String twiml = "<Response><Gather action=\"https://x/twilio/voice/gather?v=3&amp;s=1\">"
        + "<Say language=\"bn-IN\" voice=\"Google.bn-IN-Standard-A\">আমার চেনা একটি শিশু: 2 চাপুন।</Say>".repeat(8) + "</Gather></Response>";
    String stored = StoredReply.pack(twiml);
    // Redis keeps bytes: Bengali is three bytes a letter in UTF-8, the deflated form one byte a character.
    assertThat(stored.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThan(twiml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 4);
    assertThat(StoredReply.unpack(stored)).isEqualTo(twiml);
  }

  @Test
  void aShortReplyIsKeptAsItIs() {
    assertThat(StoredReply.pack("সাথী। একটি নম্বর লিখুন:")).isEqualTo("সাথী। একটি নম্বর লিখুন:");
    assertThat(StoredReply.unpack("OK.")).isEqualTo("OK.");
    assertThat(StoredReply.pack(null)).isNull();
  }
}
