package org.sathi.channel.twilio;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * Reads and checks one Twilio webhook before anything is changed: size, content type, form
 * syntax, and the signature against the public URL. Each failure is a 4xx with a short reason.
 */
public final class WebhookRequest {

  /** A refused webhook: the status to answer and a reason safe to show (no values echoed). */
  public static final class Refused extends Exception {
    public final int status;

    public Refused(int status, String reason) {
      super(reason, null, false, false);
      this.status = status;
    }
  }

  private final Signature signature;
  private final String publicUrl;
  private final int maxBodyBytes;

  public WebhookRequest(Signature signature, String publicUrl, int maxBodyBytes) {
    this.signature = signature;
    this.publicUrl = publicUrl;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Future<WebhookForm> read(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String type = req.getHeader("Content-Type");
    if (type == null || !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      return Future.failedFuture(new Refused(415, "expected application/x-www-form-urlencoded"));
    }
    String length = req.getHeader("Content-Length");
    if (length == null || !length.matches("\\d{1,10}")) {
      return Future.failedFuture(new Refused(411, "Content-Length is required"));
    }
    if (Long.parseLong(length) > maxBodyBytes) {
      return Future.failedFuture(new Refused(413, "body larger than " + maxBodyBytes + " bytes"));
    }
    return req.body().compose(buffer -> {
      try {
        WebhookForm form = WebhookForm.parse(buffer.getBytes());
        String url = publicUrl + req.path() + (req.query() == null ? "" : "?" + req.query());
        if (!signature.isValid(url, form.fields(), req.getHeader("X-Twilio-Signature"))) {
          return Future.failedFuture(new Refused(403, "invalid X-Twilio-Signature"));
        }
        return Future.succeededFuture(form);
      } catch (WebhookForm.Malformed e) {
        return Future.failedFuture(new Refused(400, e.getMessage()));
      }
    });
  }

  /** What a webhook answers with: TwiML, and the outcome it is counted under in {@code sathi_webhook_seconds}. */
  public record Answer(String outcome, String twiml) {}

  /**
   * Ends a webhook: its TwiML; a refusal with its status and reason (values are never echoed); or,
   * for anything unexpected, 400 and a log line naming only the error's type and place. Returns the
   * outcome to count.
   */
  public static String respond(io.vertx.ext.web.RoutingContext ctx, io.vertx.core.AsyncResult<Answer> ar, String what) {
    if (ar.succeeded()) {
      ctx.response().putHeader("Content-Type", "application/xml; charset=utf-8").end(ar.result().twiml());
      return ar.result().outcome();
    }
    if (ar.cause() instanceof Refused r) {
      LOG.info("{} refused with {}: {}.", what, r.status, r.getMessage());
      ctx.response().setStatusCode(r.status).putHeader("Content-Type", "text/plain; charset=utf-8").end(r.getMessage() + "\n");
      return "rejected";
    }
    LOG.error("{} failed unexpectedly: {}.", what, org.sathi.turn.TurnRunner.describe(ar.cause()));
    ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end("could not handle this webhook\n");
    return "error";
  }


  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookRequest.class);

  /** Checks that required fields are present and well formed. */
  public static void require(WebhookForm form, Map<String, java.util.regex.Pattern> fields) throws Refused {
    for (var f : fields.entrySet()) {
      String v = form.get(f.getKey());
      if (v == null || v.isEmpty()) throw new Refused(400, "missing field " + f.getKey());
      if (!f.getValue().matcher(v).matches()) throw new Refused(400, "malformed field " + f.getKey());
    }
  }
}
