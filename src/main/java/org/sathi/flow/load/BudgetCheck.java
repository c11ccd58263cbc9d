package org.sathi.flow.load;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sathi.config.Problem;
import org.sathi.flow.Engine;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.Input;
import org.sathi.flow.Node;
import org.sathi.flow.Node.Source;
import org.sathi.flow.node.AreaChoice;
import org.sathi.flow.node.CountryNumbers;
import org.sathi.flow.node.Info;
import org.sathi.flow.node.LanguageChoice;
import org.sathi.flow.node.Menu;
import org.sathi.flow.node.Question;
import org.sathi.i18n.Catalog;
import org.sathi.i18n.Language;
import org.sathi.i18n.SmsSegments;
import org.sathi.i18n.SmsText;

/** Every screen the engine can show must fit the reply budget, in every language; and the largest reply of each, for operators. */
final class BudgetCheck {
  /** Messages of the SMS host (follow-up by code, fallback) that must fit a reply; the status ones are followed by "followup.more". */
  private static final List<String> HOST_KEYS = List.of("common.help", "common.fallback", "common.exit", "followup.new", "followup.working",
      "followup.referred", "followup.closed", "followup.added", "followup.unknown", "followup.locked");
  private static final List<String> WITHOUT_MORE = List.of("followup.added", "followup.unknown", "followup.locked");

  private final Path dir;
  private final int maxSegments;
  private final List<Problem> problems;
  final Map<String, FlowLoader.Largest> largest = new LinkedHashMap<>();

  BudgetCheck(Path dir, int maxSegments, List<Problem> problems) {
    this.dir = dir;
    this.maxSegments = maxSegments;
    this.problems = problems;
  }

  void check(FlowBundle bundle, Map<String, Map<String, Integer>> keyLines) {
    Engine engine = new Engine(bundle, () -> FlowLoader.SAMPLE_REFERENCE, maxSegments);
    for (Language l : bundle.languages().enabled()) {
      String code = l.code();
      for (Node n : bundle.nodes().values()) node(engine, bundle, code, n, keyLines);
      measure(code, bundle.node(bundle.mainMenu()).source(),
          SmsText.render(engine.advance(null, new Input.Start(code, true)).prompts()), "welcome back to " + bundle.mainMenu());
      Catalog c = bundle.catalog(code);
      ussdScreens(c, code, keyLines);
      for (String key : HOST_KEYS) {
        String text = c.text(key, Map.of("reference", FlowLoader.SAMPLE_REFERENCE))
            + (key.startsWith("followup.") && !WITHOUT_MORE.contains(key) ? "\n" + c.text("followup.more") : "");
        SmsSegments s = SmsSegments.of(text);
        if (s.segments() > maxSegments) {
          problems.add(new Problem(catalog(code), line(keyLines, code, key),
              "'" + key + "' is " + s.segments() + " SMS segments; the limit is " + maxSegments + " (sms.maxSegmentsPerReply): shorten it"));
        }
      }
    }
  }

  /**
   * USSD screens that are never paged: the fallback ends the session on one screen, and the offer to
   * go on with a cut-off report is one screen with its two options. Each must fit the default screen.
   */
  private void ussdScreens(Catalog c, String code, Map<String, Map<String, Integer>> keyLines) {
    Map<String, String> screens = Map.of(
        "ussd.fallback", c.text("ussd.fallback"),
        "ussd.resume.prompt", c.text("ussd.resume.prompt") + "\n1. " + c.text("common.continue") + "\n2. " + c.text("ussd.resume.restart"));
    for (var screen : screens.entrySet()) {
      SmsSegments s = SmsSegments.of(screen.getValue());
      int limit = s.encoding() == SmsSegments.Encoding.GSM_7 ? org.sathi.flow.Limits.USSD_SCREEN_CHARS : org.sathi.flow.Limits.USSD_UNICODE_SCREEN_CHARS;
      if (s.units() > limit) {
        problems.add(new Problem(catalog(code), line(keyLines, code, screen.getKey()), "'" + screen.getKey() + "' makes a USSD screen of "
            + s.units() + " characters, which is never paged; a USSD screen in " + (s.encoding() == SmsSegments.Encoding.GSM_7 ? "GSM-7" : "this script")
            + " holds " + limit + ": shorten it"));
      }
    }
  }

  private void node(Engine engine, FlowBundle bundle, String code, Node n, Map<String, Map<String, Integer>> keyLines) {
    Source src = n.source();
    String entering = SmsText.render(engine.preview(code, n.id()));
    measure(code, src, entering, "entering " + n.id());
    boolean menu = n instanceof Menu || n instanceof Question q && q.kind() == Question.Kind.CHOICE;
    SmsSegments size = SmsSegments.of(entering);
    if (menu && size.encoding() == SmsSegments.Encoding.GSM_7 && size.segments() > 1) {
      problems.add(new Problem(src.file(), src.line(), "in " + code + ", the menu " + n.id() + " is " + size.units()
          + " GSM-7 characters, " + size.segments() + " SMS segments; a menu must fit one (160): shorten its labels in messages/" + code + ".yaml"));
    }
    if (n instanceof Node.Waiting) {
      measure(code, src, SmsText.render(engine.previewInvalid(code, n.id())), "an invalid answer at " + n.id());
      measure(code, src, SmsText.render(engine.previewEmpty(code, n.id())), "an empty message at " + n.id());
      measure(code, src, SmsText.render(engine.previewGiveUp(code, n.id())), "the third invalid answer at " + n.id());
    }
    if (n instanceof CountryNumbers) {
      List<List<SmsText.Line>> screens = engine.previewCountries(code, n.id());
      for (int p = 0; p < screens.size(); p++) {
        measure(code, src, SmsText.render(screens.get(p)), "the numbers of " + bundle.directory().countries().get(p).code() + " at " + n.id());
      }
    }
    if (n instanceof AreaChoice) {
      // Each country's areas, on every screen they take: a menu like any other.
      for (String cc : bundle.areas().callingCodes()) {
        int areas = bundle.areas().choices(cc, code).size();
        int screens = AreaChoice.screens(areas);
        for (int p = 0; p < screens; p++) {
          List<List<SmsText.Line>> shown = engine.previewScreen(code, n.id(), cc, p);
          String what = "the areas of +" + cc + (screens > 1 ? " (screen " + (p + 1) + ")" : "") + " at " + n.id();
          String screen = SmsText.render(shown.get(0));
          measure(code, src, screen, what);
          SmsSegments s = SmsSegments.of(screen);
          if (s.encoding() == SmsSegments.Encoding.GSM_7 && s.segments() > 1) {
            problems.add(new Problem(src.file(), src.line(), "in " + code + ", " + what + " is " + s.units()
                + " GSM-7 characters, " + s.segments() + " SMS segments; a menu must fit one (160): shorten the names in config/places.yaml"));
          }
          measure(code, src, SmsText.render(shown.get(1)), "an invalid answer to " + what);
        }
      }
    }
    if (n instanceof LanguageChoice) {
      List<List<SmsText.Line>> screens = engine.previewLanguagePages(code, n.id());
      for (int p = 1; p < screens.size(); p++) measure(code, src, SmsText.render(screens.get(p)), "screen " + (p + 1) + " of " + n.id());
    }
    if (n instanceof Info info) {
      List<String> pages = engine.pages(code, null, info.content(), info.done());
      String longest = pages.stream().reduce("", (a, b) -> a.length() >= b.length() ? a : b);
      if (pages.size() > 20) {
        problems.add(new Problem(catalog(code), line(keyLines, code, info.content()), "'" + info.content() + "' makes " + pages.size() + " SMS pages; split it into topics"));
      }
      measure(code, src, longest, "a page of " + n.id());
    }
  }

  private String catalog(String code) {
    return dir.resolve("messages/" + code + ".yaml").toString();
  }

  private static int line(Map<String, Map<String, Integer>> keyLines, String code, String key) {
    Integer line = keyLines.getOrDefault(code, Map.of()).get(key);
    return line == null ? 1 : line;
  }

  private void measure(String language, Source src, String text, String what) {
    SmsSegments s = SmsSegments.of(text);
    FlowLoader.Largest top = largest.get(language);
    if (top == null || s.units() * 1000 / SmsSegments.capacity(s.encoding(), 1) > top.size().units() * 1000 / SmsSegments.capacity(top.size().encoding(), 1)) {
      largest.put(language, new FlowLoader.Largest(s, what));
    }
    if (s.segments() > maxSegments) {
      problems.add(new Problem(src.file(), src.line(), "in " + language + ", " + what + " makes a reply of " + s.segments() + " SMS segments ("
          + s.encoding() + ", " + s.units() + " units); the limit is " + maxSegments + " (sms.maxSegmentsPerReply): shorten its messages in messages/" + language + ".yaml"));
    }
  }
}
