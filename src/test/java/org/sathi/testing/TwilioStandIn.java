package org.sathi.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WireMock standing in for Twilio's REST API in the integration tests: it takes every SMS sent
 * for the account ({@code Messages.json}, 201) and tells what Twilio would have received. A test
 * can add stubs of its own through {@link #server}.
 */
public final class TwilioStandIn implements AutoCloseable {
  public final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
  private final String account;

  public TwilioStandIn(String account) {
    this.account = account;
    server.start();
    reset();
  }

  /** What Sathi is told to call: its TWILIO_API_BASE. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** Forgets every request and stub, then takes SMS again. */
  public void reset() {
    server.resetAll();
    server.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + account + "/Messages.json")).willReturn(aResponse().withStatus(201)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"sid\":\"SM" + "a".repeat(32) + "\",\"status\":\"queued\",\"account_sid\":\"" + account + "\"}")));
  }

  /** Every SMS Twilio was asked to send, oldest first, as the form fields it got (To, From, Body, ...). */
  public List<Map<String, String>> messages() {
    List<Map<String, String>> out = new ArrayList<>();
    for (LoggedRequest r : server.findAll(postRequestedFor(urlPathMatching(".*/Messages.json")))) {
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : r.getBodyAsString().split("&")) {
        String[] kv = pair.split("=", 2);
        form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
      out.add(form);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop();
  }
}
