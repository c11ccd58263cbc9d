package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferenceCodeTest {
  @Test
  void codesAreEightCharactersWithoutLookAlikesShownInTwoGroups() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String code = ReferenceCode.next();
      assertThat(code).matches("[A-Z0-9]{4}-[A-Z0-9]{4}").doesNotContainPattern("[0O1IL2Z5S8B]");
      assertThat(ReferenceCode.isValid(code)).isTrue();
      seen.add(code);
    }
    assertThat(seen).hasSizeGreaterThan(1990);
  }
}
