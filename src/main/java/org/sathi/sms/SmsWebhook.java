package org.sathi.sms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.sathi.flow.Conversation;
import org.sathi.flow.Engine;
import org.sathi.flow.Event;
import org.sathi.flow.Input;
import org.sathi.flow.Step;
import org.sathi.i18n.SmsSegments;
import org.sathi.report.CallerKey;
import org.sathi.session.SessionStore;
import org.sathi.twilio.WebhookForm;
import org.sathi.twilio.WebhookRequest;
import org.sathi.twilio.WebhookRequest.Refused;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /twilio/sms}: one inbound text, one turn. Signature first (403, nothing changed),
 * then load (one round trip), the engine, and commit (one round trip) before the reply is sent.
 * When the store fails or the turn runs past its deadline, the caller gets a polite fallback in
 * their language and nothing is acknowledged.
 */
public final class SmsWebhook {
  private static final Logger LOG = LoggerFactory.getLogger(SmsWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Twilio's own limit for one message body is 1600 characters. */
  public static final int MAX_BODY_CHARS = 1600;

  private static final Map<String, Pattern> REQUIRED = Map.of(
      "From", WebhookForm.E164,
      "MessageSid", WebhookForm.MESSAGE_SID);

  /** What the webhook needs for each turn. */
  public record Settings(int turnDeadlineMillis) {}

  private final WebhookRequest requests;
  private final Engine engine;
  private final SessionStore store;
  private final CallerKey callerKeys;
  private final MeterRegistry metrics;
  private final Clock clock;
  private final Settings settings;

  public SmsWebhook(WebhookRequest requests, Engine engine, SessionStore store, CallerKey callerKeys,
      MeterRegistry metrics, Clock clock, Settings settings) {
    this.requests = requests;
    this.engine = engine;
    this.store = store;
    this.callerKeys = callerKeys;
    this.metrics = metrics;
    this.clock = clock;
    this.settings = settings;
  }

  public void handle(RoutingContext ctx) {
    Timer.Sample sample = Timer.start(metrics);
    requests.read(ctx).compose(form -> {
      try {
        WebhookRequest.require(form, REQUIRED);
      } catch (Refused r) {
        return Future.failedFuture(r);
      }
      return turn(form);
    }).onComplete(ar -> {
      String outcome;
      if (ar.succeeded()) {
        Outcome o = ar.result();
        outcome = o.kind;
        ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8").end(SmsReply.twiml(o.reply));
      } else if (ar.cause() instanceof Refused r) {
        outcome = "rejected";
        LOG.info("SMS webhook refused with {}: {}.", r.status, r.getMessage());
        ctx.response().setStatusCode(r.status).putHeader("Content-Type", "text/plain; charset=utf-8").end(r.getMessage() + "\n");
      } else {
        outcome = "error";
        LOG.error("SMS webhook failed unexpectedly: {}.", ar.cause().toString());
        ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end("could not handle this webhook\n");
      }
      sample.stop(Timer.builder("sathi.webhook").tag("channel", "sms").tag("outcome", outcome)
          .publishPercentileHistogram().register(metrics));
    });
  }

  private record Outcome(String kind, String reply) {}

  private Future<Outcome> turn(WebhookForm form) {
    String from = form.get("From");
    String sid = form.get("MessageSid");
    String body = form.fields().getOrDefault("Body", "");
    if (body.length() > MAX_BODY_CHARS) body = body.substring(0, MAX_BODY_CHARS);
    String key = callerKeys.of(from);
    String caller = CallerKey.shortForm(key);
    String guessed = engine.bundle().languages().guess(body, from).code();
    String[] language = {guessed};
    String text = body;

    Future<Outcome> work = store.load(key, sid).compose(loaded -> {
      if (loaded.previousReply() != null) {
        LOG.info("SMS webhook retried for caller {}; sent the same reply again.", caller);
        return Future.succeededFuture(new Outcome("duplicate", loaded.previousReply()));
      }
      Conversation conversation = loaded.conversation();
      Input input = conversation == null
          ? new Input.Start(loaded.returningLanguage() != null ? loaded.returningLanguage() : guessed, loaded.returningLanguage() != null)
          : new Input.Text(text);
      if (conversation != null) language[0] = conversation.language();
      Step step = engine.advance(conversation, input);
      String reply = SmsReply.text(step);
      List<String> events = events(step, key, sid);
      return store.commit(new SessionStore.Commit(key, sid, step.next(), reply, events)).map(stored -> {
        logTurn(caller, step, stored.equals(reply));
        return new Outcome(stored.equals(reply) ? "ok" : "duplicate", stored);
      });
    });
    return work.timeout(settings.turnDeadlineMillis(), TimeUnit.MILLISECONDS).map(o -> {
      measure(o.reply, language[0]);
      return o;
    }).recover(err -> {
      LOG.warn("SMS turn for caller {} got the fallback reply, nothing was saved or acknowledged: {}.", caller, err.toString());
      String reply = engine.bundle().catalog(language[0]).text("common.fallback");
      measure(reply, language[0]);
      return Future.succeededFuture(new Outcome("fallback", reply));
    });
  }

  private void measure(String reply, String language) {
    DistributionSummary.builder("sathi.sms.reply.segments").tag("language", language)
        .description("SMS segments of each reply").register(metrics)
        .record(SmsSegments.of(reply).segments());
  }

  private void logTurn(String caller, Step step, boolean fresh) {
    if (!fresh) {
      LOG.info("SMS webhook for caller {} was answered by a concurrent retry; sent that reply.", caller);
      return;
    }
    for (Event e : step.events()) {
      switch (e) {
        case Event.ReportSubmitted r -> LOG.info("Report {} stored for caller {} (sms, {}); the reporter has the code.", r.reference(), caller, r.language());
        case Event.HandoffRequested h -> LOG.info("Caller {} asked to talk to someone (sms, {}); request stored.", caller, h.language());
        case Event.ConversationWiped w -> LOG.info("Caller {} used the quick-exit word; conversation wiped.", caller);
      }
    }
    if (step.next() != null) {
      LOG.info("SMS turn for caller {} now at {} ({}).", caller, step.next().node(), step.next().language());
    }
  }

  private List<String> events(Step step, String callerKey, String sid) {
    List<String> out = new ArrayList<>();
    for (Event e : step.events()) {
      Map<String, Object> doc = new LinkedHashMap<>();
      switch (e) {
        case Event.ReportSubmitted r -> {
          doc.put("type", "report");
          doc.put("reference", r.reference());
          doc.put("language", r.language());
          doc.put("node", r.node());
          doc.put("answers", r.answers());
        }
        case Event.HandoffRequested h -> {
          doc.put("type", "handoff");
          doc.put("language", h.language());
          doc.put("node", h.node());
        }
        case Event.ConversationWiped w -> {
          continue;
        }
      }
      doc.put("channel", "sms");
      doc.put("callerKey", callerKey);
      doc.put("webhookId", sid);
      doc.put("createdAt", clock.instant().toString());
      try {
        out.add(JSON.writeValueAsString(doc));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("cannot encode an event", ex);
      }
    }
    return out;
  }
}
