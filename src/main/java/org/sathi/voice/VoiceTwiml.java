package org.sathi.voice;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import java.util.List;
import org.sathi.i18n.TtsVoices;
import org.sathi.voice.VoicePrompts.Spoken;

/** Voice TwiML, written with the Twilio SDK: the few shapes of answer a call gets. */
public final class VoiceTwiml {
  private VoiceTwiml() {}

  /**
   * Prompts inside a DTMF {@code <Gather>}: keys or silence both reach {@code action}
   * ({@code actionOnEmptyResult}), so a silent caller is never left without an answer.
   *
   * @param numDigits 1 for a menu; null for a number ended with {@code #}
   */
  public static String gather(List<Spoken> prompts, String action, Integer numDigits, int timeoutSeconds) {
    return fill(WRITTEN.get(List.of("gather", prompts, String.valueOf(numDigits), timeoutSeconds),
        () -> writeGather(prompts, ACTION, numDigits, timeoutSeconds)), action, null);
  }

  private static String writeGather(List<Spoken> prompts, String action, Integer numDigits, int timeoutSeconds) {
    Gather.Builder g = new Gather.Builder().inputs(Gather.Input.DTMF).action(action).method(HttpMethod.POST)
        .timeout(timeoutSeconds).actionOnEmptyResult(true);
    if (numDigits != null) g.numDigits(numDigits);
    else g.finishOnKey("#");
    return xml(new VoiceResponse.Builder().gather(saying(g, prompts).build()));
  }

  /**
   * Prompts, then a {@code <Record>} ended by {@code #} or silence. Twilio skips the action when
   * nothing was recorded, so a redirect to {@code silence} follows it.
   */
  public static String record(List<Spoken> prompts, String action, int maxSeconds, int silenceSeconds, String silence) {
    return fill(WRITTEN.get(List.of("record", prompts, maxSeconds, silenceSeconds),
        () -> writeRecord(prompts, ACTION, maxSeconds, silenceSeconds, SILENCE)), action, silence);
  }

  private static String writeRecord(List<Spoken> prompts, String action, int maxSeconds, int silenceSeconds, String silence) {
    VoiceResponse.Builder r = said(prompts);
    r.record(new Record.Builder().action(action).method(HttpMethod.POST).maxLength(maxSeconds).timeout(silenceSeconds)
        .finishOnKey("#").playBeep(true).build());
    r.redirect(new Redirect.Builder(silence).method(HttpMethod.POST).build());
    return xml(r);
  }

  /**
   * Prompts, then the officer's phone rings; the caller's number is never shown to them
   * ({@code callerId}). When the officer answers, {@code screen} runs on their side first, so that
   * a voicemail box that picks up is never put through to the caller. A null {@code screen} rings
   * without one (a call-back: the officer already pressed 1 on their own phone).
   */
  public static String dial(List<Spoken> prompts, String number, String callerId, int timeoutSeconds, int timeLimitSeconds, String action,
      String screen) {
    VoiceResponse.Builder r = said(prompts);
    Number.Builder n = new Number.Builder(number);
    if (screen != null) n.url(screen).method(HttpMethod.POST);
    r.dial(new Dial.Builder().callerId(callerId).timeout(timeoutSeconds).timeLimit(timeLimitSeconds).action(action).method(HttpMethod.POST)
        .number(n.build()).build());
    return xml(r);
  }

  /** What the officer hears on answering: press 1 to take the call; anything else, or nothing, hangs up their side. */
  public static String screen(List<Spoken> prompts, String action, int timeoutSeconds) {
    Gather.Builder g = new Gather.Builder().inputs(Gather.Input.DTMF).action(action).method(HttpMethod.POST).numDigits(1).timeout(timeoutSeconds);
    return xml(new VoiceResponse.Builder().gather(saying(g, prompts).build()).hangup(new Hangup.Builder().build()));
  }

  /** Prompts, then the call ends. */
  public static String hangup(List<Spoken> prompts) {
    return WRITTEN.get(List.of("hangup", prompts), () -> {
      VoiceResponse.Builder r = said(prompts);
      r.hangup(new Hangup.Builder().build());
      return xml(r);
    });
  }

  // The SDK writes each document through a new XML parser and transformer: the largest cost of a
  // turn in ./sathi bench. A call's screens are few, so each is written once with stand-ins for the
  // step's action URLs, which are filled in per answer.
  private static final String ACTION = "urn:sathi:action";
  private static final String SILENCE = "urn:sathi:silence";
  private static final org.sathi.channel.twilio.WrittenTwiml<List<Object>> WRITTEN = new org.sathi.channel.twilio.WrittenTwiml<>();

  private static String fill(String template, String action, String silence) {
    String out = template.replace(ACTION, escape(action));
    return silence == null ? out : out.replace(SILENCE, escape(silence));
  }

  /** As the SDK's writer escapes text and attributes. */
  private static String escape(String url) {
    return url.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** An answer to a status callback: Twilio reads nothing from it. */
  public static String empty() {
    return xml(new VoiceResponse.Builder());
  }

  /** The prompts inside a {@code <Gather>}, so that a key can cut them short. */
  private static Gather.Builder saying(Gather.Builder g, List<Spoken> prompts) {
    for (Spoken s : prompts) {
      switch (s) {
        case VoicePrompts.Say say -> g.say(say(say));
        case VoicePrompts.Play play -> g.play(new Play.Builder(play.url()).build());
      }
    }
    return g;
  }

  private static VoiceResponse.Builder said(List<Spoken> prompts) {
    VoiceResponse.Builder r = new VoiceResponse.Builder();
    for (Spoken s : prompts) {
      switch (s) {
        case VoicePrompts.Say say -> r.say(say(say));
        case VoicePrompts.Play play -> r.play(new Play.Builder(play.url()).build());
      }
    }
    return r;
  }

  private static Say say(VoicePrompts.Say s) {
    Say.Builder b = new Say.Builder(s.text());
    TtsVoices.voice(s.voice()).ifPresent(b::voice);
    TtsVoices.language(s.locale()).ifPresent(b::language);
    return b.build();
  }

  private static String xml(VoiceResponse.Builder r) {
    try {
      return r.build().toXml();
    } catch (TwiMLException e) {
      throw new IllegalStateException("cannot write TwiML", e);
    }
  }
}
