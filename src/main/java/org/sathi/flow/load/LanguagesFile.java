package org.sathi.flow.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sathi.config.ConfigFile;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.i18n.Language;
import org.sathi.i18n.Languages;
import org.sathi.i18n.TtsVoices;

/** Reads {@code languages.yaml}: the languages callers can choose, their scripts, calling codes and voice. */
final class LanguagesFile {
  private final ConfigFile file;
  /** The line of each language's voice, for the voice checks' problems. */
  final Map<String, Integer> voiceLines = new LinkedHashMap<>();

  LanguagesFile(Path path) {
    this.file = new ConfigFile(path);
  }

  ConfigFile file() {
    return file;
  }

  /** The enabled languages and the default, or null when the file cannot give them. */
  Languages read(Path path) {
    Mapping root = file.read(path);
    if (root == null) return null;
    List<Language> enabled = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    YamlTree list = root.get("languages");
    if (!(list instanceof Sequence seq) || seq.items().isEmpty()) {
      file.problem(root.line(), "'languages' must be a list of at least one language");
      return null;
    }
    Map<String, Integer> substitutes = new LinkedHashMap<>();
    Map<String, Language> all = new LinkedHashMap<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping m)) {
        file.problem(item.line(), "each language must be a mapping with code, name, scripts, voice");
        continue;
      }
      file.allowOnly(m, Set.of("code", "name", "enabled", "scripts", "countryCodes", "voice", "review"));
      String code = file.string(m, "code", true);
      String name = file.string(m, "name", true);
      if (code == null || name == null) continue;
      if (!code.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
        file.problem(file.lineOf(m, "code"), "language code '" + code + "' is not a BCP-47 code such as 'bn' or 'ne'");
      }
      if (!codes.add(code)) file.problem(m.line(), "language '" + code + "' is declared twice");
      List<Character.UnicodeScript> scripts = new ArrayList<>();
      for (Scalar s : scalars(m, "scripts")) {
        try {
          scripts.add(Character.UnicodeScript.forName(s.value()));
        } catch (IllegalArgumentException e) {
          file.problem(s.line(), "unknown Unicode script '" + s.value() + "' (use names like LATIN, BENGALI, DEVANAGARI)");
        }
      }
      List<String> countryCodes = new ArrayList<>();
      for (Scalar s : scalars(m, "countryCodes")) {
        if (s.value() == null || !s.value().matches("[1-9][0-9]{0,3}")) {
          file.problem(s.line(), "calling code '" + s.value() + "' must be digits without '+', such as \"880\"");
        } else {
          countryCodes.add(s.value());
        }
      }
      Language.Voice voice = voice(m, code, substitutes);
      String review = file.string(m, "review", false);
      Language language = new Language(code, name, List.copyOf(scripts), List.copyOf(countryCodes), voice, review);
      all.put(code, language);
      if (file.bool(m, "enabled", true)) enabled.add(language);
    }
    for (var e : substitutes.entrySet()) {
      Language sub = all.get(e.getKey().split(">")[1]);
      if (sub == null || !enabled.contains(sub) || sub.voice() == null || sub.voice().tts() == null || !TtsVoices.speaks(sub.voice().locale())) {
        file.problem(e.getValue(), "voice substitute '" + e.getKey().split(">")[1] + "' must be an enabled language with a tts voice");
      }
    }
    String def = file.string(root, "default", true);
    Language fallback = enabled.stream().filter(l -> l.code().equals(def)).findFirst().orElse(null);
    if (def != null && fallback == null) {
      file.problem(file.lineOf(root, "default"), "default language '" + def + "' is not an enabled language");
    }
    if (enabled.isEmpty()) file.problem(seq.line(), "no language is enabled");
    return fallback == null ? null : new Languages(List.copyOf(enabled), fallback);
  }

  private Language.Voice voice(Mapping m, String code, Map<String, Integer> substitutes) {
    YamlTree v = m.get("voice");
    if (!(v instanceof Mapping vm)) {
      file.problem(v == null ? m.line() : v.line(), "language '" + code + "' needs a voice: tts, substitute or recorded (a call must never be silent)");
      return null;
    }
    file.allowOnly(vm, Set.of("tts", "locale", "substitute", "recorded", "smsOnly"));
    String tts = file.string(vm, "tts", false);
    String locale = file.string(vm, "locale", false);
    String substitute = file.string(vm, "substitute", false);
    boolean recorded = file.bool(vm, "recorded", false);
    boolean smsOnly = file.bool(vm, "smsOnly", false);
    int ways = (tts != null ? 1 : 0) + (substitute != null ? 1 : 0) + (recorded ? 1 : 0) + (smsOnly ? 1 : 0);
    if (ways != 1) {
      file.problem(vm.line(), "language '" + code + "' voice must have exactly one of tts, substitute, recorded: true or smsOnly: true");
    }
    if (tts != null && locale == null) {
      file.problem(vm.line(), "language '" + code + "' tts voice needs a locale, such as bn-IN");
    }
    if (tts != null && locale != null && !TtsVoices.speaks(locale)) {
      file.problem(vm.line(), "language '" + code + "': Twilio has no text-to-speech for locale '" + locale
          + "'; record its prompts (recorded: true), declare a substitute, or set smsOnly: true");
    } else if (tts != null && TtsVoices.voice(tts).isEmpty()) {
      file.problem(vm.line(), "language '" + code + "': '" + tts + "' is not a Twilio voice (see the <Say> voices, such as Polly.Aditi or Google.bn-IN-Standard-A)");
    }
    if (substitute != null) substitutes.put(code + ">" + substitute, vm.line());
    voiceLines.put(code, vm.line());
    return new Language.Voice(tts, locale, substitute, recorded, smsOnly);
  }

  /** The texts of a list (none when absent); the original loader's wording. */
  private List<Scalar> scalars(Mapping m, String field) {
    YamlTree t = m.get(field);
    if (t == null) return List.of();
    if (!(t instanceof Sequence s)) {
      file.problem(t.line(), "'" + field + "' must be a list");
      return List.of();
    }
    List<Scalar> out = new ArrayList<>();
    for (YamlTree item : s.items()) {
      if (item instanceof Scalar sc) out.add(sc);
      else file.problem(item.line(), "'" + field + "' must be a list of texts");
    }
    return out;
  }
}
