package org.sathi.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallerKeyTest {
  @Test
  void callerKeyIsStableKeyedAndHidesTheNumber() {
    CallerKey a = new CallerKey("secret-one-0123456789");
    CallerKey b = new CallerKey("secret-two-0123456789");
    assertThat(a.of("+8801700000001")).isEqualTo(a.of("+8801700000001")).hasSize(64).doesNotContain("8801700000001");
    assertThat(a.of("+8801700000001")).isNotEqualTo(b.of("+8801700000001")).isNotEqualTo(a.of("+8801700000002"));
  }
}
