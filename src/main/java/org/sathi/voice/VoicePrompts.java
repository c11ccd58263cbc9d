package org.sathi.voice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.load.FlowLoader;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
import org.sathi.i18n.SmsText.Line;

/**
 * What a call says for the lines of a step, in the caller's language. Each prompt comes from the
 * first source that has it: the recording {@code audio/<code>/<key>.mp3} (or .wav), the language's
 * TTS voice, or its declared substitute's words and voice. A catalog key {@code voice.X} is how a call
 * words X. The language menu says each option in its own language.
 */
public final class VoicePrompts {

  /** One thing a call says. */
  public sealed interface Spoken {}

  /** Said by Twilio's text-to-speech. */
  public record Say(String text, String voice, String locale) implements Spoken {}

  /** A recording Sathi serves under {@code /audio/}. */
  public record Play(String url) implements Spoken {}

  private final FlowBundle bundle;
  private final String audioBase;

  /** @param publicUrl the base URL Twilio reaches Sathi at; recordings are fetched from {@code publicUrl/audio/} */
  public VoicePrompts(FlowBundle bundle, String publicUrl) {
    this.bundle = bundle;
    this.audioBase = publicUrl + "/audio/";
  }

  /** The language a call speaks for a caller in {@code code}: theirs when it can be heard, otherwise the default. */
  public Language spoken(String code) {
    Language l = bundle.languages().get(code);
    return l.spoken() ? l : bundle.languages().fallback();
  }

  public List<Spoken> lines(String country, String language, List<Line> lines, Map<String, String> args) {
    Language l = spoken(language);
    List<Spoken> out = new ArrayList<>();
    for (Line line : lines) {
      Language other = languageOption(line);
      if (other != null) {
        if (other.spoken()) languageOption(other, line.digit(), out);
      } else if (line.digit() != null && line.key().startsWith(AREA)) {
        areaOption(l, line, out);
      } else if (line.digit() != null) {
        option(l, baseKey(line.key()), line.digit(), args, out);
      } else if (line.key().startsWith("directory.") && line.text().contains(": ")) {
        number(l, line.key(), line.text().substring(line.text().lastIndexOf(": ") + 2), out);
      } else {
        say(country, l, baseKey(line.key()), args, out);
      }
    }
    return out;
  }

  /** One message by key, as a call says it. */
  public List<Spoken> message(String country, String language, String key, Map<String, String> args) {
    List<Spoken> out = new ArrayList<>();
    say(country, spoken(language), key, args, out);
    return out;
  }

  /** A line of the language menu names a language ({@code language.<code>}) rather than a message key. */
  private Language languageOption(Line line) {
    if (line.digit() == null || !line.key().startsWith("language.")) return null;
    return bundle.languages().byCode(line.key().substring("language.".length())).orElse(null);
  }

  private void say(String country, Language l, String key, Map<String, String> args, List<Spoken> out) {
    String file = bundle.recording(l.code(), key);
    if (file != null) {
      out.add(new Play(audioBase + l.code() + "/" + file));
      // A recording cannot hold a code made up during the call: it is spelled out after it.
      String reference = args.get("reference");
      if (reference != null && bundle.catalog(l.code()).has(key) && bundle.catalog(l.code()).messages().get(key).contains("{reference}")) {
        Language speaker = ttsFor(bundle.languages().fallback());
        if (speaker != null) out.add(new Say(speakable(reference), speaker.voice().tts(), speaker.voice().locale()));
      }
      return;
    }
    Language speaker = speaker(l, key);
    Catalog c = bundle.catalog(speaker.code(), country);
    out.add(new Say(speakable(c.text(wording(c, key), args), quantities(args)), speaker.voice().tts(), speaker.voice().locale()));
  }

  /** A number question's bounds are amounts ("from 0 to 120"), said as numbers, not digit by digit. */
  private static java.util.Set<String> quantities(Map<String, String> args) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (String k : List.of("min", "max")) if (args.containsKey(k)) out.add(args.get(k));
    return out;
  }

  /** A number abroad: its label as the language says it, then the number digit by digit. */
  private void number(Language l, String labelKey, String number, List<Spoken> out) {
    String file = bundle.recording(l.code(), labelKey);
    if (file != null) {
      out.add(new Play(audioBase + l.code() + "/" + file));
      Language speaker = ttsFor(bundle.languages().fallback());
      if (speaker != null) out.add(new Say(spaced(number.replaceAll("[^0-9+]", "")), speaker.voice().tts(), speaker.voice().locale()));
      return;
    }
    Language speaker = speaker(l, labelKey);
    Catalog c = bundle.catalog(speaker.code());
    out.add(new Say(c.text(wording(c, labelKey)) + ": " + spaced(number.replaceAll("[^0-9+]", "")) + ".", speaker.voice().tts(),
        speaker.voice().locale()));
  }

  private void option(Language l, String labelKey, String digit, Map<String, String> args, List<Spoken> out) {
    String label = bundle.recording(l.code(), labelKey);
    String press = bundle.recording(l.code(), FlowLoader.PRESS + digit);
    if (label != null && press != null) {
      out.add(new Play(audioBase + l.code() + "/" + label));
      out.add(new Play(audioBase + l.code() + "/" + press));
      return;
    }
    Language speaker = speaker(l, labelKey);
    Catalog c = bundle.catalog(speaker.code());
    String text = c.text("voice.option", Map.of("label", c.text(wording(c, labelKey), args), "digit", digit));
    out.add(new Say(speakable(text), speaker.voice().tts(), speaker.voice().locale()));
  }

  /** An area's option ({@code area.<ISO 3166-2 code>}) names the area from config/places.yaml, not a message key. */
  static final String AREA = "area.";

  /**
   * "For Khulna, press 4": the recording {@code area.BD-D} where there is one; otherwise the name
   * the line carries (the caller's language, or English), said by the language's voice, or by the
   * default language's where it has only recordings.
   */
  private void areaOption(Language l, Line line, List<Spoken> out) {
    String name = bundle.recording(l.code(), line.key());
    String press = bundle.recording(l.code(), FlowLoader.PRESS + line.digit());
    if (name != null && press != null) {
      out.add(new Play(audioBase + l.code() + "/" + name));
      out.add(new Play(audioBase + l.code() + "/" + press));
      return;
    }
    Language speaker = ttsFor(l);
    if (speaker == null) speaker = speaker(bundle.languages().fallback(), line.key());
    Catalog c = bundle.catalog(speaker.code());
    out.add(new Say(speakable(c.text("voice.option", Map.of("label", line.text(), "digit", line.digit()))), speaker.voice().tts(),
        speaker.voice().locale()));
  }

  /** "For Bengali, press 2", said in Bengali. */
  private void languageOption(Language target, String digit, List<Spoken> out) {
    String name = bundle.recording(target.code(), "voice.language");
    String press = bundle.recording(target.code(), FlowLoader.PRESS + digit);
    if (name != null && press != null) {
      out.add(new Play(audioBase + target.code() + "/" + name));
      out.add(new Play(audioBase + target.code() + "/" + press));
      return;
    }
    Language speaker = speaker(target, "voice.language");
    Catalog c = bundle.catalog(speaker.code());
    String text = speaker == target
        ? c.text("voice.language", Map.of("digit", digit))
        : c.text("voice.option", Map.of("label", target.name(), "digit", digit));
    out.add(new Say(speakable(text), speaker.voice().tts(), speaker.voice().locale()));
  }

  /** The language whose voice says a prompt that has no recording: the language itself, or its substitute. */
  private Language speaker(Language l, String key) {
    Language speaker = ttsFor(l);
    if (speaker == null) {
      // The validator refuses this; reaching it means the audio files changed after loading.
      throw new IllegalStateException("voice prompt " + key + " in " + l.code() + " has no recording, no TTS voice and no substitute");
    }
    return speaker;
  }

  private Language ttsFor(Language l) {
    if (l.voice() == null) return null;
    if (l.voice().tts() != null) return l;
    if (l.voice().substitute() != null) return bundle.languages().byCode(l.voice().substitute()).filter(s -> s.voice().tts() != null).orElse(null);
    return null;
  }

  /** The call's own wording of a key when the catalog has one ({@code voice.X}), else the key itself. */
  static String wording(Catalog c, String key) {
    return c.has("voice." + key) ? "voice." + key : key;
  }

  /** An info page's line carries {@code key#page}; a call says the whole content, so the key alone. */
  static String baseKey(String key) {
    int hash = key.indexOf('#');
    return hash < 0 ? key : key.substring(0, hash);
  }

  private static final Pattern CODE = Pattern.compile("\\b([A-Z0-9]{4})-([A-Z0-9]{4})\\b");
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d{3,}");

  /**
   * Text as a voice should read it: a reference code letter by letter ("A B C D, E F G H") and a
   * phone number digit by digit ("9 9 9", not "nine hundred and ninety-nine").
   */
  static String speakable(String text) {
    return speakable(text, java.util.Set.of());
  }

  static String speakable(String text, java.util.Set<String> amounts) {
    Matcher m = CODE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(spaced(m.group(1)) + ", " + spaced(m.group(2))));
    m.appendTail(out);
    Matcher n = LONG_NUMBER.matcher(out.toString());
    StringBuilder digits = new StringBuilder();
    while (n.find()) n.appendReplacement(digits, Matcher.quoteReplacement(amounts.contains(n.group()) ? n.group() : spaced(n.group())));
    n.appendTail(digits);
    return digits.toString();
  }

  private static String spaced(String s) {
    return String.join(" ", s.split(""));
  }
}
