package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./sathi validate} reads config/replies.yaml with the rest of config/, and says which of its languages are drafts. */
class ValidateRepliesTest {

  @Test
  void validateCountsThePreparedRepliesAndListsTheirDraftLanguages() {
    String out = ValidateCommandTest.run(List.of(), 0);
    assertThat(out).contains("  prepared replies: 8 in config/replies.yaml, each in every language within 2 SMS segments")
        .contains("  note: config/replies.yaml has draft texts in bn, hi, ne, ur, my, th, km, lo, vi, id, tl: have a native speaker review"
            + " each language, then mark it reviewed under review:");
  }
}
