package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sathi.report.ReferenceCode;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;

class ConsoleWiringTest {
  @Test
  void theServerServesTheConsoleApiDeniedByDefault() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MemorySessionStore store = new MemorySessionStore(TestHotline.config().session().times(), TestHotline.codec(), java.time.Clock.systemUTC());
      var backends = TestHotline.memory(store, new org.sathi.duty.LogPager());
      TestHotline hotline = TestHotline.deploy(vertx, backends, TestHotline.newMetrics(), ReferenceCode::next);
      backends.console().accounts().add("rahim", org.sathi.console.Officer.Role.OFFICER, "mango-monsoon-ferry-17").await(20, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
      String base = "http://127.0.0.1:" + hotline.server.port();
      HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(base + "/api/reports")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(denied.statusCode()).isEqualTo(401);
      assertThat(denied.body()).contains("\"error\"");
      HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"rahim\",\"password\":\"mango-monsoon-ferry-17\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("sathi_session=")).findFirst().orElseThrow();
      assertThat(cookie).as("the test public URL is https").contains("Secure");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/reports?status=open")).header("Cookie", cookie.split(";")[0]).build(),
          HttpResponse.BodyHandlers.ofString()).body())
          .isEqualTo("{\"reports\":[],\"next\":null}");
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
