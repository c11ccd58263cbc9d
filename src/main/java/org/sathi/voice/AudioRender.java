package org.sathi.voice;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.load.FlowLoader;
import org.sathi.flow.Node;
import org.sathi.i18n.Catalog;

/**
 * {@code ./sathi audio render LANG}: placeholder recordings of every call prompt, spoken by
 * espeak-ng, for a language Twilio has no voice for (Nepali, Urdu, Burmese, Sinhala, ...). They are
 * synthetic: {@code audio/LANG/SYNTHETIC.txt} says so, and by which espeak-ng, until a native
 * speaker records them. Files are 8 kHz mono mu-law WAV, what a phone line carries, and small.
 */
public final class AudioRender {
  private AudioRender() {}

  public static final String MARKER = "SYNTHETIC.txt";

  public static int render(FlowBundle bundle, Path flowsDir, String language, PrintStream out) throws IOException, InterruptedException {
    Catalog c = bundle.catalogs().get(language);
    if (c == null) {
      out.println("There is no enabled language '" + language + "' with a catalog in " + flowsDir + "; add it to languages.yaml first.");
      return 1;
    }
    String voice = espeakVoice(language);
    if (voice == null) {
      out.println("espeak-ng has no voice for '" + language + "' (Khmer and Lao have none): it stays SMS-only until people record its prompts.");
      return 1;
    }
    String version = run(List.of("espeak-ng", "--version"), null).strip().replaceAll("\\s+Data at:.*", "");
    Path dir = Files.createDirectories(flowsDir.resolve("audio").resolve(language));
    Map<String, String> bounds = numberBounds(bundle);
    Set<String> keys = FlowLoader.promptKeys(bundle);
    int made = 0;
    for (String key : keys) {
      String text = wording(c, key, bounds);
      if (text == null || text.isBlank()) {
        out.println("  skipped " + key + ": no text in messages/" + language + ".yaml");
        continue;
      }
      // One sentence at a time: espeak-ng 1.51 overflows a buffer on long Burmese text.
      List<Path> parts = new ArrayList<>();
      try {
        for (String sentence : sentences(text)) {
          Path raw = Files.createTempFile("sathi-espeak-", ".wav");
          parts.add(raw);
          run(List.of("espeak-ng", "-v", voice, "-s", "140", "-w", raw.toString(), sentence), null);
        }
        List<String> sox = new ArrayList<>(List.of("sox"));
        parts.forEach(part -> sox.add(part.toString()));
        sox.addAll(List.of("-r", "8000", "-c", "1", "-e", "mu-law", dir.resolve(key + ".wav").toString()));
        run(sox, null);
        made++;
      } catch (IOException e) {
        out.println("  could not render " + key + " (" + e.getMessage() + "); ./sathi validate will name it until it is recorded");
      } finally {
        for (Path part : parts) Files.deleteIfExists(part);
      }
    }
    Files.writeString(dir.resolve(MARKER), "Synthetic placeholder prompts, not human recordings.\n"
        + "Rendered by ./sathi audio render " + language + " on " + LocalDate.now() + " with " + version + " (voice " + voice
        + "), 8 kHz mu-law WAV by sox.\nReplace each file with a recording by a native speaker, under the same name.\n", StandardCharsets.UTF_8);
    out.println("Rendered " + made + " prompts for " + language + " into " + dir + " with " + version + ".");
    out.println("They are synthetic placeholders (" + dir.resolve(MARKER) + "). Set voice: { recorded: true } for " + language
        + " in languages.yaml, then run ./sathi validate.");
    return 0;
  }

  /** Sentences of a text, split after the full stops of the scripts we ship; never an empty one. */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.split("(?<=[.!?।॥။។])\\s*")) if (!s.isBlank()) out.add(s.strip());
    if (out.isEmpty()) out.add(text);
    return out;
  }

  /** What a recording says: the call's wording of the key, with the values a recording can hold. */
  static String wording(Catalog c, String key, Map<String, String> bounds) {
    if (key.startsWith(FlowLoader.PRESS)) {
      String digit = key.substring(FlowLoader.PRESS.length());
      if (c.has(FlowLoader.PRESS_WORDING)) return c.text(FlowLoader.PRESS_WORDING, Map.of("digit", digit));
      return c.text("voice.option", Map.of("label", "", "digit", digit)).replaceAll("^[\\s,:;.]+", "");
    }
    String k = VoicePrompts.wording(c, key);
    if (!c.has(k)) return null;
    // A code is made up during the call and spelled out after the recording; "For Nepali" is followed by "press N".
    return c.text(k, Map.of("reference", "", "digit", "", "min", bounds.get("min"), "max", bounds.get("max")))
        .replaceAll("\\s+([,.;:!?।])", "$1").strip();
  }

  private static Map<String, String> numberBounds(FlowBundle bundle) {
    for (Node n : bundle.nodes().values()) {
      if (n instanceof org.sathi.flow.node.Question q && q.kind() == org.sathi.flow.node.Question.Kind.NUMBER) {
        return Map.of("min", String.valueOf(q.min()), "max", String.valueOf(q.max()));
      }
    }
    return Map.of("min", "0", "max", "99");
  }

  /** espeak-ng's voice for a language code, or null when it has none. */
  static String espeakVoice(String language) throws IOException, InterruptedException {
    String voices = run(List.of("espeak-ng", "--voices"), null);
    for (String line : voices.split("\n")) {
      String[] cols = line.strip().split("\\s+");
      if (cols.length > 1 && cols[1].equals(language)) return language;
    }
    return null;
  }

  private static String run(List<String> command, Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException(command.get(0) + " is not installed (apt-get install espeak-ng sox)", e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command.get(0) + " failed: " + output.lines().findFirst().orElse(""));
    }
    return output;
  }
}
