package org.sathi.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Twilio's published signature vector, through the SDK's RequestValidator and our signer. */
class SignatureTest {
  static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
  static final Map<String, String> PARAMS = Map.of(
      "CallSid", "CA1234567890ABCDE",
      "Caller", "+14158675309",
      "Digits", "1234",
      "From", "+14158675309",
      "To", "+18005551212");
  static final String EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

  @Test
  void acceptsTwiliosPublishedExample() {
    assertThat(new Signature("12345").isValid(URL, PARAMS, EXPECTED)).isTrue();
  }

  @Test
  void signsLikeTwilio() {
    assertThat(new Signature("12345").sign(URL, PARAMS)).isEqualTo(EXPECTED);
  }

  @Test
  void refusesAnotherTokenAChangedParameterOrNoSignature() {
    assertThat(new Signature("54321").isValid(URL, PARAMS, EXPECTED)).isFalse();
    Map<String, String> changed = new java.util.HashMap<>(PARAMS);
    changed.put("Digits", "1235");
    assertThat(new Signature("12345").isValid(URL, changed, EXPECTED)).isFalse();
    assertThat(new Signature("12345").isValid(URL, PARAMS, null)).isFalse();
    assertThat(new Signature("12345").isValid(URL, PARAMS, "")).isFalse();
  }
}
