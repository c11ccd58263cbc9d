package org.sathi.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sathi.config.Countries;
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/** A caller in danger is told their own country's emergency number, never another country's. */
class CountryNumbersTest {
  static Vertx vertx;
  static TestHotline hotline;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    var store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), ReferenceCode::next);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource({
      "+8801712000001, Bangladesh, 999", "+9779812000001, Nepal, 100", "+919812000001, India, 112", "+923012000001, Pakistan, 15",
      "+959712000001, Myanmar, 199", "+66812000001, Thailand, 191", "+85512000001, Cambodia, 117", "+8562012000001, Laos, 1191",
      "+84912000001, Viet Nam, 113", "+6281212000001, Indonesia, 112", "+639171200001, Philippines, 911", "+447700912001, United Kingdom, 999"})
  void aCallerInDangerGetsTheirOwnCountrysEmergencyNumber(String number, String country, String emergency) throws Exception {
    TestPhone phone = hotline.phone(number);
    phone.text("hi");
    phone.text("1"); // report a concern
    phone.text("1"); // about me
    phone.text("1"); // what is happening
    String reply = phone.text("1"); // someone is in danger now
    assertThat(reply).as("%s: %s", country, reply).containsPattern("(?<![0-9])" + emergency + "(?![0-9])");
    if (!emergency.equals("999")) assertThat(reply).as("not Bangladesh's number").doesNotContain("999");
  }

  @Test
  void aCallerOfAnUnlistedCountryIsToldTheGsmEmergencyNumber() throws Exception {
    TestPhone phone = hotline.phone("+12025550123");
    String numbers = phone.text("hi") + phone.text("4");
    assertThat(numbers).contains("112").doesNotContain("999").doesNotContain("1098");
  }

  @Test
  void everyCountryNeedsAnEmergencyNumberWithItsSource(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("countries.yaml");
    Files.writeString(file, """
        countries:
          - callingCode: "880"
            name: Bangladesh
            numbers:
              childHelpline: { number: "1098", source: "Child Helpline 1098" }
          - callingCode: "62"
            name: Indonesia
            numbers:
              emergency: { number: "112" }
        """);
    Countries.Loaded loaded = Countries.load(file, Map.of());
    assertThat(loaded.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p).contains("countries.yaml:5").contains("no emergency number"));
    assertThat(loaded.problems()).as("Indonesia has one; only its source is missing").hasSize(2);
    assertThat(loaded.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p).contains("countries.yaml:9").contains("missing 'source'"));
  }

  @Test
  void theShippedNumbersAreListedAsUnverifiedUntilTheHelplineChecksThem() {
    Countries.Loaded loaded = Countries.load(Path.of("config/countries.yaml"), Map.of());
    assertThat(loaded.problems()).isEmpty();
    List<String> unverified = loaded.countries().unverified();
    assertThat(unverified).anySatisfy(u -> assertThat(u).startsWith("+880 Bangladesh emergency 999 (source: "));
  }
}
