package org.sathi.voice;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.duty.LogPager;
import org.sathi.flow.Engine;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.load.FlowLoader;
import org.sathi.flow.Node;
import org.sathi.i18n.Language;
import org.sathi.i18n.SmsText.Line;
import org.sathi.i18n.TtsVoices;
import org.sathi.server.Config;
import org.sathi.session.MemorySessionStore;
import org.sathi.testing.TestHotline;
import org.sathi.testing.TestPhone;

/**
 * Every node of every flow, said on a call in every shipped language a call can speak: by TTS
 * (en, bn, hi, th, vi, id, tl), by a substitute (ne and ur in Hindi's words and voice), and by
 * recordings only (my, synthetic placeholders). No prompt is empty, no {@code <Say>} is in a locale
 * Twilio lacks, and every {@code <Play>} URL is served by Sathi with an audio type.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VoiceCoverageTest {
  static Path flows;
  static Vertx vertx;
  static TestHotline hotline;
  static FlowBundle bundle;

  @BeforeAll
  static void start() throws Exception {
    Config config = TestHotline.config();
    vertx = Vertx.vertx();
    var store = new MemorySessionStore(config.session().times(), TestHotline.codec(), Clock.systemUTC());
    hotline = TestHotline.deploy(vertx, TestHotline.memory(store, new LogPager()), TestHotline.newMetrics(), TestHotline.countingReferences(),
        Clock.systemUTC(), config);
    bundle = hotline.bundle;
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Everything a call can say at each node: entering it, an invalid answer, the third invalid answer. */
  static List<List<Line>> screens(Engine engine, String language) {
    List<List<Line>> out = new ArrayList<>();
    for (Node n : bundle.nodes().values()) {
      // An end node without a message says nothing itself; the call then says voice.goodbye, checked below.
      if (!(n instanceof org.sathi.flow.node.End e && e.message() == null)) out.add(engine.preview(language, n.id()));
      // A call never waits at a follow-up (a keypad cannot type a code): it says to text it, then the menu.
      if (n instanceof Node.Waiting && !(n instanceof org.sathi.flow.node.FollowUp)) {
        out.add(engine.previewInvalid(language, n.id()));
        out.add(engine.previewGiveUp(language, n.id()));
      }
    }
    return out;
  }

  @Test
  void everyNodeInEveryVoiceLanguageSaysSomethingTwilioCanSayOrPlay() throws Exception {
    Engine engine = new Engine(bundle, () -> "ABCD-EFGH", Integer.MAX_VALUE);
    VoicePrompts prompts = new VoicePrompts(bundle, TestPhone.PUBLIC_URL);
    Set<String> played = new LinkedHashSet<>();
    List<String> spoken = bundle.languages().enabled().stream().filter(Language::spoken).map(Language::code).toList();
    assertThat(spoken).containsExactly("en", "bn", "hi", "ne", "ur", "my", "th", "vi", "id", "tl");
    for (String language : spoken) {
      List<List<Line>> screens = screens(engine, language);
      for (List<Line> screen : screens) {
        List<VoicePrompts.Spoken> said = prompts.lines(null, language, screen, Map.of("reference", "ABCD-EFGH", "min", "0", "max", "120"));
        assertThat(said).as("%s: %s", language, screen).isNotEmpty();
        // Rendered as Twilio gets it: valid TwiML, nothing silent, only locales Twilio speaks.
        TwimlRules.check(VoiceTwiml.gather(said, TestPhone.PUBLIC_URL + "/twilio/voice/gather?v=1&s=1", 1, 8));
        for (VoicePrompts.Spoken s : said) {
          if (s instanceof VoicePrompts.Play p) played.add(p.url());
          if (s instanceof VoicePrompts.Say say) {
            assertThat(say.text()).as("%s: %s", language, screen).isNotBlank().doesNotContain("{");
            assertThat(TtsVoices.speaks(say.locale())).as("%s says in %s", language, say.locale()).isTrue();
          }
        }
        boolean languageMenu = screen.stream().anyMatch(l -> l.digit() != null && l.key().startsWith("language."));
        if (language.equals("my") && !languageMenu) {
          assertThat(said).as("a recordings-only language is never spoken by TTS, except a code spelled out")
              .allMatch(s -> s instanceof VoicePrompts.Play || ((VoicePrompts.Say) s).text().equals("A B C D, E F G H"));
        }
        if ((language.equals("ne") || language.equals("ur")) && !languageMenu) {
          assertThat(said).allMatch(s -> s instanceof VoicePrompts.Say say && say.locale().equals("hi-IN"));
        }
      }
      for (String key : FlowLoader.VOICE_KEYS) {
        if (key.equals("voice.option")) continue;
        assertThat(prompts.message(null, language, key, Map.of("digit", "1"))).as("%s %s", language, key).isNotEmpty();
      }
    }
    assertThat(played).isNotEmpty();
    HttpClient http = HttpClient.newHttpClient();
    for (String url : played) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hotline.server.port()
          + url.substring(TestPhone.PUBLIC_URL.length()))).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).as(url).startsWith("audio/");
      assertThat(r.body().length).as(url).isGreaterThan(44);
    }
  }

  @Test
  void theLanguageMenuSaysEachLanguageInItsOwnVoice() {
    Engine engine = new Engine(bundle, () -> "ABCD-EFGH", Integer.MAX_VALUE);
    VoicePrompts prompts = new VoicePrompts(bundle, TestPhone.PUBLIC_URL);
    List<VoicePrompts.Spoken> said = prompts.lines(null, "en", engine.preview("en", "language.choose"), Map.of());
    assertThat(said.get(0)).isEqualTo(new VoicePrompts.Say("Choose your language:", "Polly.Raveena", "en-IN"));
    assertThat(said.get(1)).isEqualTo(new VoicePrompts.Say("For English, press 1.", "Polly.Raveena", "en-IN"));
    assertThat(said.get(2)).isEqualTo(new VoicePrompts.Say("বাংলার জন্য 2 চাপুন।", "Google.bn-IN-Standard-A", "bn-IN"));
    assertThat(said.get(3)).isInstanceOfSatisfying(VoicePrompts.Say.class, s -> assertThat(s.locale()).isEqualTo("hi-IN"));
    // Nepali by its substitute's voice, naming Nepali; Burmese by its recordings; Khmer is SMS only and not offered.
    assertThat(said.get(4)).isInstanceOfSatisfying(VoicePrompts.Say.class, s -> assertThat(s.text()).contains("नेपाली").contains("4"));
    assertThat(said).contains(new VoicePrompts.Play(TestPhone.PUBLIC_URL + "/audio/my/voice.language.wav"),
        new VoicePrompts.Play(TestPhone.PUBLIC_URL + "/audio/my/voice.press.6.wav"));
    assertThat(said).noneMatch(s -> s instanceof VoicePrompts.Say say && say.text().contains("ខ្មែរ"));
    assertThat(said.get(said.size() - 1)).isEqualTo(new VoicePrompts.Say("For More, press 9.", "Polly.Raveena", "en-IN"));
  }

  @Test
  void onlyRecordingsTheLoaderFoundAreServed() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/audio/my/nothing.wav", "/audio/my/..%2F..%2Flanguages.yaml", "/audio/xx/main.prompt.wav", "/audio/my/main.prompt",
        "/audio/my/SYNTHETIC.txt")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hotline.server.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(404);
    }
  }
}
