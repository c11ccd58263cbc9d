package org.sathi.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.duty.LogPager;
import org.sathi.report.ReferenceCode;
import org.sathi.report.ReportAnswers;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * Where a concern is, by SMS through the real router and the shipped flows and config/places.yaml:
 * a Bangladeshi reporter chooses a division by its digit and the report carries its ISO 3166-2 code;
 * their own words can make it a district, or give it when they chose "don't know"; a reporter
 * from a country without areas is not asked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportAreaTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Vertx vertx;
  static MemorySessionStore store;
  static TestHotline hotline;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), ReferenceCode::next);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Walks a report to the question after the gender, and gives the reply. */
  static String toArea(TestPhone phone) throws Exception {
    String reply = "";
    for (String m : List.of("hi", "1", "2", "1", "2", "14", "2")) reply = phone.text(m);
    return reply;
  }

  /** The report filed with this code, as the host received it. */
  static ReportAnswers filed(String reply) throws Exception {
    var code = java.util.regex.Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}").matcher(reply);
    assertThat(code.find()).as(reply).isTrue();
    String event = store.events().stream().filter(e -> e.contains(code.group())).findFirst().orElseThrow();
    JsonNode answers = JSON.readTree(event).path("answers");
    return ReportAnswers.from(JSON.convertValue(answers, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() {}), "sms");
  }

  @Test
  void aBangladeshiReporterChoosesADivisionAndTheReportCarriesItsCode() throws Exception {
    TestPhone phone = hotline.phone("+8801712000101");
    String menu = toArea(phone);
    assertThat(menu).startsWith("এটা কোন বিভাগে?").contains("1. বরিশাল", "4. খুলনা", "8. ময়মনসিংহ", "9. অন্য বা জানি না");
    assertThat(phone.text("4")).startsWith("এটা কোথায়?");
    phone.text("a brick kiln by the river");
    phone.text("A man took her papers.");
    ReportAnswers a = filed(phone.text("2"));
    assertThat(a.area()).isEqualTo("BD-D");
    assertThat(a.place()).isEqualTo("a brick kiln by the river");
  }

  @Test
  void theirOwnWordsMakeTheChosenDivisionADistrict() throws Exception {
    TestPhone phone = hotline.phone("+8801712000102");
    toArea(phone);
    phone.text("4");
    phone.text("যশোরের একটা বাড়িতে"); // "in a house of Jashore"
    phone.text("A man took her papers.");
    assertThat(filed(phone.text("2")).area()).isEqualTo("BD-22");
  }

  @Test
  void withDontKnowTheirWordsGiveTheArea() throws Exception {
    TestPhone phone = hotline.phone("+8801712000103");
    toArea(phone);
    phone.text("9");
    phone.text("Cox's Bazar camp");
    phone.text("A man took her papers.");
    assertThat(filed(phone.text("2")).area()).isEqualTo("BD-11");
  }

  @Test
  void aReporterFromACountryWithoutAreasIsNotAsked() throws Exception {
    TestPhone phone = hotline.phone("+919812000104");
    assertThat(toArea(phone)).startsWith(hotline.bundle.catalog("hi").text("report.place"));
    phone.text("Khulna");
    phone.text("A man took her papers.");
    assertThat(filed(phone.text("2")).area()).isNull();
  }
}
