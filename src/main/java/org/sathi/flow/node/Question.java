package org.sathi.flow.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sathi.flow.Engine;
import org.sathi.flow.Limits;
import org.sathi.flow.Node;
import org.sathi.flow.Step.Wait;
import org.sathi.flow.Turn;

/**
 * A question whose answer is saved for the report: {@code type: question}, of kind {@code text}
 * (free text, or a recording on a call), {@code choice} (options that save a value) or
 * {@code number} (within {@code min}..{@code max}, with "don't know" where allowed).
 */
public record Question(
    String id,
    Kind kind,
    String prompt,
    List<Option> options,
    int min,
    int max,
    boolean dontKnow,
    int maxLength,
    String save,
    String next,
    String invalid,
    String timeout,
    int timeoutSeconds,
    Source source)
    implements Node.Waiting {

  public enum Kind { TEXT, CHOICE, NUMBER }

  /** What a "don't know" answer saves. */
  public static final String UNKNOWN = "unknown";

  public static final NodeKind KIND = new NodeKind("question",
      NodeKind.waiting("kind", "prompt", "options", "min", "max", "dontKnow", "maxLength", "save", "next"), Question::read);

  static Question read(NodeReader in) {
    String kindName = in.string("kind", true);
    Kind kind = null;
    if (kindName != null) {
      try {
        kind = Kind.valueOf(kindName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        in.problem("kind", "unknown question kind '" + kindName + "'; known kinds: text, choice, number");
      }
    }
    String prompt = in.key("prompt", true);
    String save = in.string("save", true);
    String next = in.target("next", true);
    List<Option> options = kind == Kind.CHOICE ? in.options(false) : List.of();
    if (kind != Kind.CHOICE && in.has("options")) in.problem("options", "only a choice question has options");
    int min = in.integer("min", 0);
    int max = in.integer("max", kind == Kind.NUMBER ? Integer.MIN_VALUE : 0);
    if (kind == Kind.NUMBER) {
      if (!in.has("max")) in.problem(null, "a number question needs 'max' (and 'min', default 0)");
      else if (max < min) in.problem("max", "max " + max + " is below min " + min);
    }
    int maxLength = in.integer("maxLength", 500);
    if (maxLength < 1 || maxLength > Limits.MAX_TEXT_ANSWER) in.problem("maxLength", "maxLength must be 1.." + Limits.MAX_TEXT_ANSWER);
    boolean dontKnow = in.bool("dontKnow", false);
    if (kind == null) return null;
    return new Question(in.id(), kind, prompt, options, min, max, dontKnow, maxLength, save, next,
        in.target("invalid", false), in.target("timeout", false), in.seconds(), in.source());
  }

  @Override
  public List<String> exits() {
    List<String> out = new ArrayList<>();
    options.forEach(o -> out.add(o.target()));
    Collections.addAll(out, next, invalid, timeout);
    return out;
  }

  @Override
  public void promptKeys(Set<String> keys, Set<String> digits) {
    keys.add(prompt);
    Node.optionKeys(options, keys, digits);
  }

  @Override
  public String saves() {
    return save;
  }

  @Override
  public List<String> towardsReport() {
    List<String> out = new ArrayList<>(exits().subList(0, options.size() + 1));
    out.removeIf(java.util.Objects::isNull);
    return out;
  }

  @Override
  public void render(Turn turn) {
    turn.say(prompt);
    if (kind == Kind.CHOICE) for (Option o : options) turn.option(o.digit(), o.label());
  }

  @Override
  public void answer(Turn turn, String raw, String text) {
    switch (kind) {
      case CHOICE -> turn.pick(options, text).ifPresentOrElse(o -> {
        turn.save(save, o.value());
        turn.leave(o.target() != null ? o.target() : next);
      }, turn::invalid);
      case NUMBER -> {
        if (dontKnow && turn.isWord("dontknow", text)) {
          turn.save(save, UNKNOWN);
          turn.leave(next);
          return;
        }
        Integer n = text.matches("\\d{1,6}") ? Integer.valueOf(text) : null;
        if (n != null && n >= min && n <= max) {
          turn.save(save, n.toString());
          turn.leave(next);
        } else {
          turn.invalid();
        }
      }
      case TEXT -> {
        String answer = raw == null ? "" : raw.strip();
        if (answer.isEmpty()) {
          turn.invalid();
          return;
        }
        int cut = Math.min(maxLength, Limits.MAX_TEXT_ANSWER);
        if (answer.length() > cut) {
          // Never keep half of a surrogate pair (an emoji cut in two is not text).
          if (Character.isHighSurrogate(answer.charAt(cut - 1))) cut--;
          answer = answer.substring(0, cut);
        }
        turn.save(save, answer);
        turn.leave(next);
      }
    }
  }

  @Override
  public Wait waits() {
    return switch (kind) {
      case TEXT -> Wait.TEXT;
      case NUMBER -> Wait.NUMBER;
      case CHOICE -> Wait.CHOICE;
    };
  }

  @Override
  public String hint() {
    return switch (kind) {
      case NUMBER -> "common.invalid.number";
      case TEXT -> "common.invalid.text";
      case CHOICE -> "common.invalid.choice";
    };
  }

  /** A number question's hint says the range: {min} and {max}. */
  @Override
  public Map<String, String> hintArgs() {
    return kind == Kind.NUMBER ? Map.of("min", String.valueOf(min), "max", String.valueOf(max)) : Map.of();
  }

  @Override
  public boolean offersLanguageChange() {
    return kind == Kind.CHOICE && Node.hasNoZero(options);
  }

  /** {@code *} at a number question is "don't know" where it is allowed; elsewhere the question again. */
  @Override
  public boolean star(Turn turn) {
    if (kind != Kind.NUMBER) return false;
    if (!dontKnow) return false;
    turn.save(save, UNKNOWN);
    turn.leave(next);
    return true;
  }

  @Override
  public void recording(Turn turn, String url, Integer seconds) {
    if (kind != Kind.TEXT) {
      turn.invalid();
      return;
    }
    turn.save(save, url);
    if (seconds != null) turn.save(save + Engine.SECONDS, seconds.toString());
    turn.leave(next);
  }
}
