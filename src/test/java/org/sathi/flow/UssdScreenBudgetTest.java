package org.sathi.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sathi.flow.load.FlowLoader;

/** The USSD screens that are never paged (the fallback, the offer to continue) must fit one screen; validate names the line. */
class UssdScreenBudgetTest {
  @Test
  void theShippedCatalogsFitAndALongFallbackIsRefusedWithItsLine(@TempDir Path dir) throws Exception {
    assertThat(FlowLoader.load(Path.of("ivr-flows"), Map.of("emergency", "112"), 2, Path.of("config/directory.yaml")).problems()).isEmpty();

    Path copy = dir.resolve("ivr-flows");
    try (Stream<Path> all = Files.walk(Path.of("ivr-flows"))) {
      for (Path p : all.sorted(Comparator.naturalOrder()).toList()) {
        Path to = copy.resolve(Path.of("ivr-flows").relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(to);
        else Files.copy(p, to);
      }
    }
    Path bn = copy.resolve("messages/bn.yaml");
    String text = Files.readString(bn);
    int line = (int) text.substring(0, text.indexOf("ussd.fallback:")).chars().filter(c -> c == '\n').count() + 1;
    Files.writeString(bn, text.replaceFirst("ussd\\.fallback: \"[^\"]*\"",
        "ussd.fallback: \"দুঃখিত, এখন আপনার কথা নেওয়া গেল না। কয়েক মিনিট পরে আবার ডায়াল করুন। বিপদে থাকলে {emergency} নম্বরে ফোন করুন।\""));
    assertThat(FlowLoader.load(copy, Map.of("emergency", "112"), 2, Path.of("config/directory.yaml")).problems()).anySatisfy(p -> assertThat(p.toString())
        .contains("messages/bn.yaml:" + line + ":", "'ussd.fallback' makes a USSD screen of", "holds 80"));
  }
}
