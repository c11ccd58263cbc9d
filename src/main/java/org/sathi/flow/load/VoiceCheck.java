package org.sathi.flow.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.sathi.config.Problem;
import org.sathi.flow.Directory;
import org.sathi.flow.Engine;
import org.sathi.flow.Limits;
import org.sathi.flow.Node;
import org.sathi.flow.Node.Source;
import org.sathi.flow.node.NodeReader.KeyUse;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
import org.sathi.i18n.Languages;

/**
 * Every prompt a call can play, in every language callers can hear, must have a source: its
 * recording, the language's TTS voice, or its substitute's. Recordings-only languages need a file
 * for every prompt, and "press N" for every digit a menu offers.
 */
final class VoiceCheck {
  static final int MAX_PROMPT_PROBLEMS_PER_LANGUAGE = 10;

  private final Path dir;
  private final List<Problem> problems;
  /** Audio files under audio/<code>/, by message key (the file name without .mp3 or .wav). */
  final Map<String, Map<String, String>> recordings = new LinkedHashMap<>();

  VoiceCheck(Path dir, List<Problem> problems) {
    this.dir = dir;
    this.problems = problems;
  }

  void check(Map<String, Node> nodes, Directory directory, Languages languages, Map<String, Catalog> catalogs, List<KeyUse> keyUses,
      Map<String, Integer> voiceLines, Set<String> beingRecorded) {
    Map<String, Source> where = new HashMap<>();
    for (KeyUse use : keyUses) where.putIfAbsent(use.key(), use.source());
    String languagesFile = dir.resolve("languages.yaml").toString();
    Language desk = languages.fallback();
    Catalog deskCatalog = catalogs.get(desk.code());
    if (deskCatalog != null && !deskCatalog.has(FlowLoader.SCREEN_KEY)) {
      problems.add(new Problem(dir.resolve("messages/" + desk.code() + ".yaml").toString(), 1,
          "message key '" + FlowLoader.SCREEN_KEY + "' is missing: officers hear it when they answer a hand-off (press 1 to take the call)"));
    }
    if (desk.voice() != null && desk.voice().smsOnly()) {
      problems.add(new Problem(languagesFile, voiceLines.getOrDefault(desk.code(), 1),
          "the default language '" + desk.code() + "' must have a voice: calls fall back to it"));
    }
    Set<String> keys = promptKeys(nodes, languages.enabled().size(), directory);
    for (Language l : languages.enabled()) {
      Map<String, String> files = scanAudio(l.code());
      recordings.put(l.code(), files);
      if (!l.spoken() || !l.voice().recorded() || beingRecorded.contains(l.code())) continue;
      if (l == desk && !files.containsKey(FlowLoader.SCREEN_KEY)) {
        problems.add(new Problem(languagesFile, voiceLines.getOrDefault(desk.code(), 1),
            "voice prompt '" + FlowLoader.SCREEN_KEY + "' in " + desk.code() + " has no recording: officers hear it when they answer a hand-off"));
      }
      List<String> missing = keys.stream().filter(k -> !files.containsKey(k)).toList();
      int line = voiceLines.getOrDefault(l.code(), 1);
      for (String k : missing.subList(0, Math.min(missing.size(), MAX_PROMPT_PROBLEMS_PER_LANGUAGE))) {
        Source src = where.getOrDefault(k, new Source(languagesFile, line));
        problems.add(new Problem(src.file(), src.line(), "voice prompt '" + k + "' in " + l.code()
            + " has no source: no recording " + dir.resolve("audio/" + l.code() + "/" + k + ".mp3") + " (or .wav), and " + l.code()
            + " is declared recorded: true; record it, or give " + l.code() + " a TTS voice or a substitute"));
      }
      if (missing.size() > MAX_PROMPT_PROBLEMS_PER_LANGUAGE) {
        problems.add(new Problem(languagesFile, line, "... and " + (missing.size() - MAX_PROMPT_PROBLEMS_PER_LANGUAGE)
            + " more voice prompts in " + l.code() + " have no recording"));
      }
    }
  }

  /**
   * Every recording a recordings-only language needs: each message a flow says, the engine's and the
   * call's own messages, and "press N" for every key a menu offers.
   */
  static Set<String> promptKeys(Map<String, Node> nodes, int languages, Directory directory) {
    Set<String> keys = new LinkedHashSet<>();
    Set<String> digits = new TreeSet<>();
    for (Node n : nodes.values()) n.promptKeys(keys, digits);
    keys.addAll(FlowLoader.VOICE_ENGINE_KEYS);
    for (String k : FlowLoader.VOICE_KEYS) if (!k.equals("voice.option")) keys.add(k);
    for (int i = 1; i <= Math.min(languages, Limits.LANGUAGES_PER_PAGE); i++) digits.add(String.valueOf(i));
    if (languages > Limits.LANGUAGES_PER_PAGE) {
      digits.add(Engine.MORE_LANGUAGES_DIGIT);
      keys.add("common.more");
    }
    for (String d : digits) keys.add(FlowLoader.PRESS + d);
    for (Directory.Country c : directory.countries()) keys.add("country." + c.code());
    if (!directory.countries().isEmpty()) for (String kind : Directory.KINDS) keys.add("directory." + kind);
    return keys;
  }

  private Map<String, String> scanAudio(String code) {
    Path audio = dir.resolve("audio/" + code);
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(audio)) return files;
    try (Stream<Path> s = Files.list(audio)) {
      for (Path p : s.sorted().toList()) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0 && FlowLoader.AUDIO_TYPES.containsKey(name.substring(dot + 1)) && Files.isRegularFile(p)) files.putIfAbsent(name.substring(0, dot), name);
      }
    } catch (IOException e) {
      problems.add(new Problem(audio.toString(), 1, "cannot list recordings: " + e.getMessage()));
    }
    return files;
  }
}
