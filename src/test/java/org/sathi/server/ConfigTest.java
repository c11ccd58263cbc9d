package org.sathi.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @Test
  void shippedConfigLoadsAndEnvironmentOverridesIt() throws Exception {
    Config c = Config.load(Path.of("config/sathi.yaml"), Map.of(
        "SATHI_PORT", "9090", "SATHI_PUBLIC_URL", "https://hotline.example.org/", "REDIS_URL", "redis://r:6380",
        "TWILIO_AUTH_TOKEN", "tok", "SATHI_SECRET", "s3cret-s3cret-s3cret"));
    assertThat(c.server().port()).isEqualTo(9090);
    assertThat(c.server().publicUrl()).isEqualTo("https://hotline.example.org");
    assertThat(c.redis().url()).isEqualTo("redis://r:6380");
    assertThat(c.twilio().authToken()).isEqualTo("tok");
    assertThat(c.secret()).isEqualTo("s3cret-s3cret-s3cret");
    assertThat(c.numbers()).as("the numbers for a caller of an unlisted country").containsEntry("emergency", "112");
    assertThat(c.sms().maxSegmentsPerReply()).isEqualTo(2);
  }

  @Test
  void unknownSettingNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sathi.yaml");
    Files.writeString(file, "server:\n  port: 8080\n  prot: 9\n");
    assertThatThrownBy(() -> Config.load(file, Map.of()))
        .isInstanceOfSatisfying(Config.Invalid.class, e ->
            assertThat(e.problems.get(0).toString()).startsWith(file + ":3: unknown setting 'prot'"));
  }

  @Test
  void badPortInEnvironmentIsRefused() {
    assertThatThrownBy(() -> Config.load(null, Map.of("SATHI_PORT", "eighty")))
        .isInstanceOfSatisfying(Config.Invalid.class, e -> assertThat(e.problems.get(0).toString()).contains("SATHI_PORT"));
  }
}
