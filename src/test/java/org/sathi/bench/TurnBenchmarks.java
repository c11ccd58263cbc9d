package org.sathi.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sathi.flow.Conversation;
import org.sathi.flow.Engine;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.load.FlowLoader;
import org.sathi.flow.Input;
import org.sathi.flow.Step;
import org.sathi.i18n.SmsSegments;
import org.sathi.i18n.SmsText;
import org.sathi.channel.twilio.Signature;

/**
 * The CPU a webhook turn costs apart from Redis and the network, on the shipped flows: the engine's
 * {@code advance()}, the SMS reply with its segment count, and the webhook signature check.
 * Run by {@code ./sathi bench} (or {@code ./sathi bench --jmh-only}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TurnBenchmarks {
  Engine engine;
  Conversation atMenu;
  Conversation atWhat;
  Step bengaliMenu;
  Signature signature;
  Map<String, String> form;
  String signed;
  static final String URL = "https://sathi.example.org/twilio/sms";

  @Setup
  public void setup() {
    org.sathi.channel.twilio.TwimlWriter.useJdkProviders(); // as the server does at start
    FlowLoader.Result loaded = FlowLoader.load(Path.of("ivr-flows"), Map.of("emergency", "999", "childHelpline", "1098", "womenHelpline", "109"), 3);
    if (!loaded.ok()) throw new IllegalStateException(loaded.problems().toString());
    FlowBundle bundle = loaded.bundle();
    engine = new Engine(bundle, () -> "ABCD-EFGH", 3);
    atMenu = engine.advance(null, new Input.Start("bn", false)).next();
    atWhat = engine.advance(engine.advance(atMenu, new Input.Text("1")).next(), new Input.Text("2")).next();
    bengaliMenu = engine.advance(null, new Input.Start("bn", false));
    signature = new Signature("bench-auth-token-0123456789");
    form = new LinkedHashMap<>();
    form.put("ToCountry", "BD");
    form.put("From", "+8801700000001");
    form.put("To", "+8809610000000");
    form.put("Body", "একজন লোক তাকে শহরে কাজ দেবে বলে নিয়ে যাচ্ছে।");
    form.put("MessageSid", "SM" + "0123456789abcdef".repeat(2));
    form.put("NumMedia", "0");
    signed = signature.sign(URL, form);
  }

  /** One turn: a Bengali caller picks "1. Report a concern" at the main menu. */
  @Benchmark
  public Step advanceMenuChoice() {
    return engine.advance(atMenu, new Input.Text("১"));
  }

  /** One turn with an invalid answer: the hint and the 8-option question again. */
  @Benchmark
  public Step advanceInvalidAnswer() {
    return engine.advance(atWhat, new Input.Text("xyz"));
  }

  /** The reply text of the Bengali main menu and its carrier segment count. */
  @Benchmark
  public int renderSmsWithSegments() {
    String text = SmsText.render(bengaliMenu.prompts());
    return SmsSegments.of(text).segments();
  }

  /** The SMS reply as TwiML, written by the Twilio SDK. */
  @Benchmark
  public String smsTwiml() {
    return org.sathi.channel.twilio.TwilioSms.twiml(SmsText.render(bengaliMenu.prompts()));
  }

  /** X-Twilio-Signature of a six-field SMS webhook, checked with the Twilio SDK's validator. */
  @Benchmark
  public boolean checkSignature() {
    return signature.isValid(URL, form, signed);
  }

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {TurnBenchmarks.class.getName()});
  }

  static List<String> names() {
    return List.of("advanceMenuChoice", "advanceInvalidAnswer", "renderSmsWithSegments", "smsTwiml", "checkSignature");
  }
}
