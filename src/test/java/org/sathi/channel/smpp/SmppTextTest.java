package org.sathi.channel.smpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sathi.i18n.Gsm7;
import org.sathi.i18n.SmsSegments;

/** Text on the SMPP wire: what an SMSC sends, and what a phone reassembles from what Sathi submits. */
class SmppTextTest {

  @Test
  void gsm7PackingMatchesTheSpecification() {
    // 3GPP TS 23.038's classic example: "hellohello" packs to E8329BFD4697D9EC37.
    byte[] septets = Gsm7.encode("hellohello");
    assertThat(HexFormat.of().withUpperCase().formatHex(Gsm7.pack(septets))).isEqualTo("E8329BFD4697D9EC37");
    assertThat(Gsm7.decodePacked(Gsm7.pack(septets), septets.length)).isEqualTo("hellohello");
  }

  @Test
  void everyGsmCharacterRoundTripsOneSeptetAnOctet() {
    String all = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà^{}\\[~]|€\f";
    assertThat(Gsm7.decode(Gsm7.encode(all))).isEqualTo(all);
    assertThat(SmppText.decode((byte) 0, SmppText.GSM7, Gsm7.encode(all), null, false).text()).isEqualTo(all);
  }

  @Test
  void dataCodingsDecode() {
    assertThat(SmppText.decode((byte) 0, SmppText.UCS2, "হ্যালো".getBytes(java.nio.charset.StandardCharsets.UTF_16BE), null, false).text())
        .isEqualTo("হ্যালো");
    assertThat(SmppText.decode((byte) 0, SmppText.LATIN1, "café".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), null, false).text())
        .isEqualTo("café");
    byte[] packed = Gsm7.pack(Gsm7.encode("Help me"));
    assertThat(SmppText.decode((byte) 0, SmppText.GSM7, packed, null, true).text()).isEqualTo("Help me");
  }

  @Test
  void concatenationHeadersAreRead() {
    byte[] udh8 = {0x05, 0x00, 0x03, 0x2A, 0x03, 0x02, 'h', 'i'};
    SmppText.Inbound a = SmppText.decode(SmppText.UDHI, SmppText.GSM7, udh8, null, false);
    assertThat(a.concat()).isEqualTo(new SmppText.Concat(0x2A, 3, 2));
    assertThat(a.text()).isEqualTo("hi");
    byte[] udh16 = {0x06, 0x08, 0x04, 0x01, 0x02, 0x02, 0x01, 0x00, 'o', 0x00, 'k'};
    SmppText.Inbound b = SmppText.decode(SmppText.UDHI, SmppText.UCS2, udh16, null, false);
    assertThat(b.concat()).isEqualTo(new SmppText.Concat(0x0102, 2, 1));
    assertThat(b.text()).isEqualTo("ok");
  }

  @Test
  void longRepliesSplitWithoutCuttingASurrogatePairOrAnEscape() {
    String emoji = "অ".repeat(66) + "😀" + "অ".repeat(66);
    List<SmppText.Part> parts = SmppText.encode(emoji, 7, false);
    assertThat(parts).hasSize(SmsSegments.of(emoji).segments());
    StringBuilder joined = new StringBuilder();
    for (SmppText.Part p : parts) {
      assertThat(p.dataCoding()).isEqualTo(SmppText.UCS2);
      assertThat(p.shortMessage().length).isLessThanOrEqualTo(140);
      String text = SmppText.decode(p.esmClass(), p.dataCoding(), p.shortMessage(), null, false).text();
      assertThat(Character.isHighSurrogate(text.charAt(text.length() - 1))).isFalse();
      joined.append(text);
    }
    assertThat(joined.toString()).isEqualTo(emoji);

    String euro = "a".repeat(152) + "€" + "a".repeat(152);
    List<SmppText.Part> gsm = SmppText.encode(euro, 8, false);
    assertThat(gsm).hasSize(3);
    StringBuilder back = new StringBuilder();
    for (SmppText.Part p : gsm) {
      assertThat(p.dataCoding()).isEqualTo(SmppText.GSM7);
      assertThat(p.shortMessage().length - 6).as("153 septets a part at most").isLessThanOrEqualTo(153);
      assertThat(p.shortMessage()[p.shortMessage().length - 1]).as("no part ends on the escape").isNotEqualTo((byte) 0x1B);
      back.append(SmppText.decode(p.esmClass(), p.dataCoding(), p.shortMessage(), null, false).text());
    }
    assertThat(back.toString()).isEqualTo(euro);
  }

  @Test
  void packedPartsWithAHeaderReassemble() {
    String text = "Help ".repeat(40).strip();
    List<SmppText.Part> parts = SmppText.encode(text, 9, true);
    assertThat(parts).hasSize(2);
    StringBuilder back = new StringBuilder();
    for (SmppText.Part p : parts) back.append(SmppText.decode(p.esmClass(), p.dataCoding(), p.shortMessage(), null, true).text());
    assertThat(back.toString()).isEqualTo(text);
  }
}
