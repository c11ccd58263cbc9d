package org.sathi.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channels: of config/sathi.yaml, checked like the flows: every mistake with its line, no secret in the file. */
class ChannelsTest {
  static final String GOOD = """
      channels:
        - name: twilio
          type: twilio
        - name: bd-operator        # shown on reports and in metrics
          type: smpp
          host: smsc.example.net
          port: 2775
          systemId: sathi
          passwordEnv: SMPP_BD_PASSWORD
          sourceAddress: "10921"
          throughput: 30
          countries: ["880"]
      """;

  @Test
  void theIssuesExampleLoads(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), GOOD);
    Channels.Loaded loaded = Channels.load(file, Map.of("SMPP_BD_PASSWORD", "s3cret"), true);
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.twilioName()).isEqualTo("twilio");
    Channels.Smpp smpp = loaded.of(Channels.Smpp.class).get(0);
    assertThat(smpp.password()).isEqualTo("s3cret");
    assertThat(smpp.throughput()).isEqualTo(30);
    assertThat(smpp.countries()).containsExactly("880");
  }

  @Test
  void anSmppPasswordLongerThanEightIsRefusedWhereItIsNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), GOOD);
    Channels.Loaded loaded = Channels.load(file, Map.of("SMPP_BD_PASSWORD", "much-too-long"), false);
    assertThat(loaded.problems()).hasSize(1);
    assertThat(loaded.problems().get(0).toString()).contains("sathi.yaml:9:").contains("at most 8");
  }

  @Test
  void serveNeedsTheSecretsButValidateOnlyTheirNames(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), GOOD);
    assertThat(Channels.load(file, Map.of(), false).problems()).isEmpty();
    assertThat(Channels.load(file, Map.of(), true).problems().get(0).toString()).contains("sathi.yaml:9:").contains("SMPP_BD_PASSWORD is not set");
  }

  @Test
  void everyMistakeHasItsLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), """
        channels:
          - name: BD Operator
            type: smpp
            host: smsc.example.net
            port: 99999
            systemId: sathi
            password: hunter2
            passwordEnv: SMPP_BD_PASSWORD
            sourceAddress: "10921"
            countries: ["+880"]
          - name: ng
            type: carrier-pigeon
        """);
    var problems = Channels.load(file, Map.of(), false).problems().stream().map(Object::toString).toList();
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:2:").contains("lower-case"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:5:").contains("port"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:7:").contains("does not belong in a file"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:10:").contains("not a calling code"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:12:").contains("unknown channel type 'carrier-pigeon'"));
  }

  @Test
  void noChannelsIsTwilioOnlyAsBefore(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), "server:\n  port: 8080\n");
    Channels.Loaded loaded = Channels.load(file, Map.of(), true);
    assertThat(loaded.channels()).isEmpty();
    assertThat(loaded.twilio()).isTrue();
    assertThat(loaded.twilioName()).isEqualTo("sms");
  }

  @Test
  void aWhatsAppEntryTakesItsDefaultsAndDoesNotServeSmsForItsCountries(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), GOOD + """
          - type: whatsapp
            from: "whatsapp:+8809610000000"
            countries: ["880", "91"]
        """);
    Channels.Loaded loaded = Channels.load(file, Map.of("SMPP_BD_PASSWORD", "s3cret"), true);
    // 880 is bd-operator's SMS route as well: WhatsApp's countries are not an SMS route, so that is no clash.
    assertThat(loaded.problems()).isEmpty();
    Channels.WhatsApp wa = loaded.of(Channels.WhatsApp.class).get(0);
    assertThat(wa.name()).isEqualTo("whatsapp");
    assertThat(wa.from()).isEqualTo("whatsapp:+8809610000000");
    assertThat(wa.defaultCountry()).isEqualTo("880");
    assertThat(wa.templateContentSid()).isNull();
    assertThat(wa.windowHours()).isEqualTo(24);
  }

  @Test
  void everyWhatsAppMistakeHasItsLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), """
        channels:
          - name: wa
            type: whatsapp
            from: "+8809610000000"
            templateContentSid: HX123
            windowHours: 48
          - name: wa-two
            type: whatsapp
            from: "whatsapp:+8809610000001"
            passwordEnv: WA_PASSWORD
          - type: whatsapp
            from: "whatsapp:+8809610000002"
            countries: ["91"]
          - name: wa-four
            type: whatsapp
            from: "whatsapp:+8809610000003"
            countries: ["880"]
        """);
    var problems = Channels.load(file, Map.of(), false).problems().stream().map(Object::toString).toList();
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:2:").contains("missing 'countries'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:4:").contains("whatsapp:+8809610000000"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:5:").contains("HX followed by 32 hex digits"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:6:").contains("from 1 to 24"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:10:").contains("unknown field 'passwordEnv'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("at most one whatsapp channel"));
    assertThat(problems).hasSize(7);
  }

  @Test
  void anUnknownTypeNamesEveryKnownOne(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), "channels:\n  - name: ng\n    type: telegram\n");
    assertThat(Channels.load(file, Map.of(), false).problems()).anySatisfy(p -> assertThat(p.toString()).contains("known: twilio, smpp, kannel, ussd, whatsapp"));
  }

  /** The USSD contract of issue 15, as written there. */
  static final String USSD = """
      channels:
        - name: twilio
          type: twilio
        - name: bd-ussd
          type: ussd
          format: africastalking
          serviceCode: "*16430#"
          secretEnv: USSD_BD_KEY
          countries: ["880"]
      """;

  @Test
  void theUssdContractLoadsWithItsDefaults(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), USSD);
    Channels.Loaded loaded = Channels.load(file, Map.of("USSD_BD_KEY", "a-key-of-sixteen-or-more"), true);
    assertThat(loaded.problems()).isEmpty();
    Channels.Ussd ussd = loaded.of(Channels.Ussd.class).get(0);
    assertThat(ussd.serviceCode()).isEqualTo("*16430#");
    assertThat(ussd.secret()).isEqualTo("a-key-of-sixteen-or-more");
    assertThat(ussd.screenChars()).isEqualTo(182);
    assertThat(ussd.unicodeScreenChars()).isEqualTo(80);
    assertThat(Channels.load(file, Map.of(), true).problems().get(0).toString()).contains("sathi.yaml:8:", "USSD_BD_KEY is not set");
  }

  @Test
  void aUssdEntryWithMistakesNamesEachLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sathi.yaml"), """
        channels:
          - name: bd-ussd
            type: ussd
            format: hubtel
            serviceCode: 16430
            secretEnv: USSD_BD_KEY
            unicodeScreenChars: 500
            countries: ["880"]
          - name: bd-sms
            type: kannel
            sendsmsUrl: http://kannel:13013/cgi-bin/sendsms
            username: sathi
            passwordEnv: KANNEL_PASSWORD
            secretEnv: KANNEL_KEY
            sourceAddress: "10921"
            countries: ["880"]
        """);
    var problems = Channels.load(file, Map.of("USSD_BD_KEY", "short"), true).problems().stream().map(Object::toString).toList();
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:4:", "unknown USSD format 'hubtel'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:5:", "the code callers dial"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:6:", "at least 16 characters"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("sathi.yaml:7:"));
    assertThat(problems).as("a USSD code and the SMS channel that answers its callers share a country").noneMatch(p -> p.contains("served by both"));
  }
}
