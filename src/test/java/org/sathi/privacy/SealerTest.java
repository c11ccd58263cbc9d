package org.sathi.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SealerTest {
  @Test
  void aSealedNumberOpensOnlyForItsCallerWithTheSameSecret() {
    Sealer sealer = new Sealer("secret-one-0123456789");
    String blob = sealer.seal("+8801700000001", "caller-a");

    assertThat(blob).doesNotContain("8801700000001");
    assertThat(sealer.open(blob, "caller-a")).isEqualTo("+8801700000001");
    assertThat(sealer.open(blob, "caller-b")).isNull();
    assertThat(new Sealer("secret-two-0123456789").open(blob, "caller-a")).isNull();
    assertThat(sealer.open("not a sealed blob", "caller-a")).isNull();
  }
}
