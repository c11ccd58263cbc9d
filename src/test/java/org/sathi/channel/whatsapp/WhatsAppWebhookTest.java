package org.sathi.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.channel.Channels;
import org.sathi.report.ReferenceCode;
import org.sathi.server.Config;
import org.sathi.session.MemorySessionStore;
import org.sathi.simulator.TwilioPlayer;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * Which texts Twilio's webhook takes follows {@code channels:}: WhatsApp only with a whatsapp entry,
 * plain SMS only with a twilio one (or no list at all). A message for a channel that is not there is
 * refused with what to change, and changes nothing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WhatsAppWebhookTest {

  static TwilioPlayer.Answer post(TestHotline hotline, String from) throws Exception {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("MessageSid", TestPhone.newMessageSid());
    f.put("From", from);
    f.put("To", TestHotline.HOTLINE);
    f.put("Body", "hi");
    return new TwilioPlayer("http://127.0.0.1:" + hotline.server.port(), TestPhone.PUBLIC_URL, TestPhone.AUTH_TOKEN, "ACtest", TestHotline.HOTLINE)
        .post(TestPhone.PUBLIC_URL + "/twilio/sms", f);
  }

  static void withHotline(List<Channels.Channel> channels, HotlineCheck check) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Config config = TestHotline.config().withChannels(channels);
      MemorySessionStore store = new MemorySessionStore(config.session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
      check.run(TestHotline.deploy(vertx, TestHotline.memory(store, new org.sathi.duty.LogPager()), TestHotline.newMetrics(),
          ReferenceCode::next, java.time.Clock.systemUTC(), config), store);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  interface HotlineCheck {
    void run(TestHotline hotline, MemorySessionStore store) throws Exception;
  }

  @Test
  void withoutAWhatsAppChannelAWhatsAppMessageIsRefusedWithTheFix() throws Exception {
    withHotline(List.of(), (hotline, store) -> {
      TwilioPlayer.Answer a = post(hotline, "whatsapp:+8801712345678");
      assertThat(a.status()).isEqualTo(422);
      assertThat(a.body()).contains("add a channel of type whatsapp").contains("config/sathi.yaml").doesNotContain("1712");
      assertThat(store.dump()).as("nothing kept").doesNotContain("=");
      assertThat(post(hotline, "+8801712345678").status()).as("SMS as before").isEqualTo(200);
    });
  }

  @Test
  void withOnlyAWhatsAppChannelPlainSmsIsRefusedWithTheFix() throws Exception {
    withHotline(List.of(new Channels.WhatsApp("whatsapp", "whatsapp:" + TestHotline.HOTLINE, List.of("880"), null, 24, 1)), (hotline, store) -> {
      TwilioPlayer.Answer a = post(hotline, "+8801712345678");
      assertThat(a.status()).isEqualTo(422);
      assertThat(a.body()).contains("add a channel of type twilio");
      assertThat(store.dump()).as("nothing kept").doesNotContain("=");
      assertThat(post(hotline, "whatsapp:+8801712345678").status()).isEqualTo(200);
      assertThat(store.dump()).contains("=");
    });
  }

  @Test
  void aUserIdMustBeMetasFormat() {
    assertThat(WhatsAppAddress.parse("whatsapp:BD.13491208655302741918")).hasValueSatisfying(a -> assertThat(a.phone()).isNull());
    assertThat(WhatsAppAddress.parse("whatsapp:US.ENT.11815799212886844830")).isPresent();
    assertThat(WhatsAppAddress.parse("whatsapp:+8801712345678")).hasValueSatisfying(a -> assertThat(a.phone()).isEqualTo("+8801712345678"));
    for (String bad : List.of("+8801712345678", "whatsapp:", "whatsapp:BD", "whatsapp:bd.123", "whatsapp:BDX.123", "whatsapp:BD.12_3",
        "whatsapp:BD." + "9".repeat(129), "whatsapp:BD.ENT.", "whatsapp:+0123456789", "whatsapp: BD.123")) {
      assertThat(WhatsAppAddress.parse(bad)).as(bad).isEmpty();
    }
    assertThat(WhatsAppAddress.parse("whatsapp:BD.123").orElseThrow().countryNumber("880")).isEqualTo("+880");
    assertThat(WhatsAppAddress.parse("whatsapp:+447700900123").orElseThrow().countryNumber("880")).isEqualTo("+447700900123");
  }
}
