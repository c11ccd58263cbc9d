package org.sathi.console;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.sathi.duty.Escalation;
import org.sathi.report.Outcomes;
import org.sathi.report.Priority;
import org.sathi.report.ReferenceCode;
import org.sathi.privacy.Sealer;
import org.sathi.report.Report;
import org.sathi.report.Report.Status;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;
import org.sathi.redis.StoreUnavailable;
import org.sathi.statistics.Statistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duty officers' JSON API under {@code /api} (DESIGN.md §1). Denied by default: every route but
 * {@code POST /api/session} sits behind {@link #requireSession}, which also wants the session's CSRF
 * token in {@code X-XSRF-TOKEN} on every state change. Every action an officer takes is audited
 * before its answer is sent, so a view that cannot be audited is not shown.
 */
public final class ConsoleApi {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);

  public static final String SESSION_COOKIE = "sathi_session";
  public static final String CSRF_COOKIE = "XSRF-TOKEN";
  public static final String CSRF_HEADER = "X-XSRF-TOKEN";
  public static final int MAX_BODY_BYTES = 16 * 1024;
  public static final int MAX_NOTE_CHARS = 2000;
  public static final int MAX_OUTCOME_CHARS = 500;
  /** The queue shows at most this many open reports. */
  public static final int MAX_LISTED = 200;
  static final String UNKNOWN_OFFICER = "unknown";
  static final Set<Status> OPEN = EnumSet.of(Status.NEW, Status.CLAIMED, Status.IN_PROGRESS);
  static final Set<Status> WORKED = EnumSet.of(Status.CLAIMED, Status.IN_PROGRESS);
  private static final String CALLER = "sathi.console.caller";

  public static final int MAX_AUDIT_LISTED = 500;
  /** Requests the console makes by itself send this header: they do not count as the officer being active. */
  public static final String BACKGROUND_HEADER = "X-Sathi-Background";

  private final ReportStore reports;
  private final Escalation escalation;
  private final OfficerAccounts accounts;
  private final ConsoleSessions sessions;
  private final Audit audit;
  private final Clock clock;
  private final boolean secureCookies;
  private final Desk desk;
  private Outcomes outcomes;
  private StatisticsApi statistics;

  /**
   * What the report actions work with besides the stores: the live stream, the reporter's line,
   * the referral list, answer labels, recordings, the sealer (for a supervisor's reveal), and how
   * often an open live stream checks that its session is still alive.
   */
  public record Desk(ConsoleEvents events, ReporterLine line, Referrals referrals, AnswerLabels labels, Recordings recordings, Sealer sealer,
      JsonArray languages, Duration streamCheck, boolean trustForwardedFor, CannedReplies replies) {
    /** Without prepared replies (config/replies.yaml). */
    public Desk(ConsoleEvents events, ReporterLine line, Referrals referrals, AnswerLabels labels, Recordings recordings, Sealer sealer,
        JsonArray languages, Duration streamCheck, boolean trustForwardedFor) {
      this(events, line, referrals, labels, recordings, sealer, languages, streamCheck, trustForwardedFor, CannedReplies.none());
    }
  }

  /** @param secureCookies whether cookies are marked Secure: true when the public URL is https */
  public ConsoleApi(ReportStore reports, Escalation escalation, OfficerAccounts accounts, ConsoleSessions sessions, Audit audit, Clock clock,
      boolean secureCookies) {
    this(reports, escalation, accounts, sessions, audit, clock, secureCookies, null);
  }

  /** @param desk the report actions' parts; null leaves out what needs them (reply, refer, labels, recordings, live stream) */
  public ConsoleApi(ReportStore reports, Escalation escalation, OfficerAccounts accounts, ConsoleSessions sessions, Audit audit, Clock clock,
      boolean secureCookies, Desk desk) {
    this.reports = reports;
    this.escalation = escalation;
    this.accounts = accounts;
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.secureCookies = secureCookies;
    this.desk = desk;
  }

  /**
   * How reports end (close needs an outcome id of these) and the statistics the API serves; set
   * before {@link #mount}. Without it, outcomes come from the shipped {@link Outcomes#FILE} and there
   * are no statistics (404).
   */
  public ConsoleApi withCasework(Outcomes outcomes, Statistics statistics, boolean openPeriods) {
    this.outcomes = outcomes;
    this.statistics = statistics == null ? null : new StatisticsApi(reports, statistics, openPeriods, clock);
    return this;
  }

  private MissedCalls missedCalls;

  /** With the missed hand-offs' list and call-back action ({@link MissedCalls}). */
  public ConsoleApi withMissedCalls(MissedCalls missed) {
    this.missedCalls = missed;
    return this;
  }

  /** Adds the API's routes. Mount it before any catch-all failure handler, so that /api errors stay JSON. */
  public void mount(Router router) {
    router.route("/api/*").handler(this::apiHeaders);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post("/api/session").handler(this::login);
    router.route("/api/*").handler(this::requireSession);
    router.route("/api/*").handler(this::analystsSeeStatisticsOnly);
    router.get("/api/session").handler(this::whoAmI);
    router.delete("/api/session").handler(this::logout);
    router.get("/api/reports").handler(this::listReports);
    router.get("/api/reports/:reference").handler(this::showReport);
    router.post("/api/reports/:reference/claim").handler(this::claim);
    router.post("/api/reports/:reference/release").handler(this::release);
    router.post("/api/reports/:reference/note").handler(this::note);
    router.post("/api/reports/:reference/close").handler(this::close);
    router.post("/api/reports/:reference/acknowledge").handler(this::acknowledge);
    router.post("/api/reports/:reference/reopen").handler(supervisorOnly("reopen", "Only a supervisor can reopen a report.")).handler(this::reopen);
    router.get("/api/outcomes").handler(this::outcomes);
    if (statistics != null) {
      router.get("/api/statistics/export").handler(ctx ->
          finishStatistics(ctx, "statistics-export", false, () -> statistics.export(ctx.queryParams())));
      router.get("/api/statistics").handler(ctx -> {
        boolean exact = "true".equals(ctx.queryParams().get("exact"));
        finishStatistics(ctx, exact ? "statistics-exact" : "statistics", exact, () -> statistics.table(ctx.queryParams(), exact));
      });
    }
    router.get("/api/audit").handler(supervisorOnly("audit", "Only a supervisor can read the audit log.")).handler(this::auditLog);
    router.get("/api/reports/:reference/export").handler(supervisorOnly("export", "Only a supervisor can export a report.")).handler(this::export);
    if (desk != null) {
      router.get("/api/events").handler(new ConsoleStream(desk.events(), sessions, desk.streamCheck())::open);
      router.get("/api/referrals").handler(this::referrals);
      router.get("/api/reports/:reference/recording/:part").handler(this::recording);
      router.post("/api/reports/:reference/reply").handler(this::reply);
      router.get("/api/reports/:reference/replies").handler(this::cannedReplies);
      router.post("/api/reports/:reference/refer").handler(this::refer);
      router.post("/api/reports/:reference/reveal").handler(supervisorOnly("reveal", "Only a supervisor can see a call-back number."))
          .handler(this::reveal);
    }
    if (missedCalls != null) {
      router.get("/api/handoffs/missed").handler(ctx -> finish(ctx, "list", null, missedCalls.list()));
      router.post("/api/reports/:reference/callback").handler(ctx -> finish(ctx, "callback", reference(ctx),
          missedCalls.callBack(reference(ctx), caller(ctx).officer())));
    }
    router.route("/api/*").handler(this::noSuchEndpoint);
    router.route("/api/*").failureHandler(this::failed);
  }

  /** Who is calling: their session and their account as it is now (a disabled account has none). */
  record Caller(ConsoleSession session, Officer officer) {}

  /** What a handler decided: the status and body to send, and the outcome for the audit log. */
  record Answer(int status, JsonObject body, String outcome, String csv, String filename) {
    Answer(int status, JsonObject body, String outcome) {
      this(status, body, outcome, null, null);
    }
  }

  // ---- routes

  private void apiHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    ctx.next();
  }

  private void login(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null || !(body.getValue("username") instanceof String typed) || !(body.getValue("password") instanceof String password)) {
      send(ctx, badRequest("Send {\"username\": ..., \"password\": ...} as JSON."));
      return;
    }
    String name = Officer.canonicalName(typed);
    if (name == null || password.length() > Passwords.MAX_LENGTH) {
      // Not a name any account can have: no account to throttle, nothing worth hashing.
      record(UNKNOWN_OFFICER, "login", null, "failed").onSuccess(v -> send(ctx, wrongLogin())).onFailure(ctx::fail);
      return;
    }
    Cookie previous = ctx.request().getCookie(SESSION_COOKIE);
    String address = clientAddress(ctx);
    sessions.admitLogin(name, address).compose(admitted -> {
      if (!admitted) {
        return auditedName(name).compose(who -> {
          LOG.warn("A console login as {} was refused: too many failed attempts in the last minutes.", who);
          return record(who, "login", null, "throttled");
        }).map(v -> new Answer(429, error("Too many failed logins for this account or from this address; try again in a few minutes."), "throttled"));
      }
      return accounts.verify(name, password).compose(officer -> officer.isPresent()
          ? loggedIn(ctx, officer.get(), previous, address)
          : auditedName(name).compose(who -> {
            LOG.warn("A console login as {} failed.", who);
            return record(who, "login", null, "failed").map(v -> wrongLogin());
          }));
    }).onSuccess(answer -> send(ctx, answer)).onFailure(ctx::fail);
  }

  private Future<Answer> loggedIn(RoutingContext ctx, Officer officer, Cookie previous, String address) {
    // A new session id at every login; a session the browser still carried ends here.
    Future<Void> ended = previous == null ? Future.succeededFuture() : sessions.end(previous.getValue());
    return ended.compose(v -> sessions.loginSucceeded(officer.name(), address))
        .compose(v -> sessions.create(officer.name()))
        .compose(session -> record(officer.name(), "login", null, "ok").map(v -> {
          ctx.response().addCookie(sessionCookie(session.id())).addCookie(csrfCookie(session.csrfToken()));
          LOG.info("Officer {} logged in to the console.", officer.name());
          return new Answer(200, new JsonObject().put("username", officer.name()).put("role", officer.role().wire()), "ok");
        }));
  }

  /** Deny by default: everything after this handler needs a live session, and state changes its CSRF token. */
  private void requireSession(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
    String id = cookie == null ? null : cookie.getValue();
    if (!ConsoleSessions.wellFormed(id)) {
      send(ctx, unauthorized());
      return;
    }
    // The console's own refreshes and its live stream do not count as activity: an idle officer's session still ends.
    boolean background = ctx.request().getHeader(BACKGROUND_HEADER) != null || "/api/events".equals(ctx.request().path());
    (background ? sessions.peek(id) : sessions.touch(id)).compose(found -> found.isEmpty() ? Future.succeededFuture(Optional.<Caller>empty())
            : accounts.find(found.get().officer()).map(officer -> officer.map(o -> new Caller(found.get(), o))))
        .onSuccess(caller -> {
          if (caller.isEmpty()) {
            sessions.end(id); // timed out, logged out, or the account was disabled
            clearCookies(ctx);
            send(ctx, unauthorized());
            return;
          }
          ctx.put(CALLER, caller.get());
          if (changesState(ctx.request().method()) && !csrfMatches(ctx.request().getHeader(CSRF_HEADER), caller.get().session().csrfToken())) {
            record(caller.get().officer().name(), "csrf", null, "denied")
                .onSuccess(v -> send(ctx, new Answer(403, error("Missing or wrong CSRF token: reload the console."), "denied")))
                .onFailure(ctx::fail);
            return;
          }
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    sessions.end(caller.session().id())
        .compose(v -> record(caller.officer().name(), "logout", null, "ok"))
        .onSuccess(v -> {
          clearCookies(ctx);
          LOG.info("Officer {} logged out of the console.", caller.officer().name());
          ctx.response().setStatusCode(204).end();
        })
        .onFailure(ctx::fail);
  }

  /** Reports scanned at most for one page of a filtered list; the page says where to go on ({@code next}). */
  static final int MAX_SCANNED = 2000;

  /**
   * The case list. {@code status=open} (the default) is the queue, most urgent first; {@code closed}
   * and {@code all} list newest first, a page at a time ({@code next} is the cursor of the next
   * page, null at the end); {@code q=XXXX-XXXX} finds one report by its code, whatever its status.
   */
  private void listReports(RoutingContext ctx) {
    CaseQuery query;
    try {
      query = CaseQuery.parse(ctx.queryParams()::get, ctx.queryParams().names());
    } catch (CaseQuery.Invalid e) {
      finish(ctx, "list", null, Future.succeededFuture(badRequest(e.getMessage())));
      return;
    }
    if (query.q() != null) {
      finish(ctx, "search", query.q(), reports.get(query.q()).map(found -> page(found.map(List::of).orElse(List.of()), null)));
      return;
    }
    if (query.statuses().equals(OPEN)) {
      finish(ctx, "list", null, reports.open(MAX_LISTED).map(open -> page(open.stream().filter(query::matches).toList(), null)));
      return;
    }
    finish(ctx, "list", null, scan(query, query.newestMillis(), query.cursor() == null ? null : query.cursor().reference(), new ArrayList<>(), 0));
  }

  /** Newest first, a batch at a time, until a page is full, the reports run out, or {@link #MAX_SCANNED} were read. */
  private Future<Answer> scan(CaseQuery query, long newest, String after, List<Report> found, int scanned) {
    int batch = 200;
    return reports.newest(newest, after, query.oldest(), batch).compose(reportsRead -> {
      for (Report r : reportsRead) {
        if (query.matches(r)) found.add(r);
        if (found.size() == MAX_LISTED) return Future.succeededFuture(page(found, CaseQuery.Cursor.after(r)));
      }
      int total = scanned + reportsRead.size();
      if (reportsRead.size() < batch) return Future.succeededFuture(page(found, null));
      Report last = reportsRead.get(reportsRead.size() - 1);
      if (total >= MAX_SCANNED) return Future.succeededFuture(page(found, CaseQuery.Cursor.after(last)));
      return scan(query, last.createdAt().toEpochMilli(), last.reference(), found, total);
    });
  }

  private Answer page(List<Report> listed, CaseQuery.Cursor next) {
    JsonArray list = new JsonArray();
    listed.forEach(r -> list.add(summary(r)));
    return ok(new JsonObject().put("reports", list).put("next", next == null ? null : next.encode()));
  }

  private void showReport(RoutingContext ctx) {
    String ref = reference(ctx);
    if (ref == null) {
      finish(ctx, "view", null, Future.succeededFuture(notFound()));
      return;
    }
    String language = ctx.queryParams().get("lang");
    finish(ctx, "view", ref, reports.get(ref).compose(found -> found.isEmpty()
        ? Future.succeededFuture(notFound())
        : reports.timeline(ref).compose(timeline -> detail(found.get(), timeline, language)).map(ConsoleApi::ok)));
  }

  /** One report as an officer reads it: answers with their labels, recordings to play through Sathi, whether the reporter can be texted. */
  private Future<JsonObject> detail(Report r, List<TimelineEntry> timeline, String language) {
    JsonObject d = ReportView.detail(r, timeline).mergeIn(summary(r));
    d.put("consented", ReporterLine.consented(r));
    if (desk == null) return Future.succeededFuture(d);
    d.put("labels", desk.labels().labels(r.answers(), language));
    JsonArray recordings = new JsonArray();
    if (r.answers() != null) {
      if (r.answers().recording() != null) {
        recordings.add(new JsonObject().put("part", "details").put("url", "/api/reports/" + r.reference() + "/recording/details")
            .put("seconds", r.answers().recordingSeconds()));
      }
      if (r.answers().placeRecording() != null) {
        recordings.add(new JsonObject().put("part", "place").put("url", "/api/reports/" + r.reference() + "/recording/place").putNull("seconds"));
      }
    }
    d.put("recordings", recordings);
    // "by": how a reply would leave (sms, whatsapp, or whatsapp-template: an invitation to write back instead of the officer's words).
    return desk.line().reach(r, timeline).map(reach -> d.put("reply", new JsonObject().put("allowed", reach.allowed())
        .put("until", reach.until() == null ? null : reach.until().toString()).put("reason", reach.reason())
        .put("by", reach.way() == null ? null : reach.way().label())));
  }

  private void claim(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    if (ref == null) {
      finish(ctx, "claim", null, Future.succeededFuture(notFound()));
      return;
    }
    TimelineEntry entry = new TimelineEntry(clock.instant(), "claimed", me.name(), "Claimed by " + me.name() + ".");
    finish(ctx, "claim", ref, reports.changeStatus(ref, EnumSet.of(Status.NEW), Status.CLAIMED, me.name(), entry)
        .compose(changed -> reports.get(ref).map(found -> {
          if (found.isEmpty()) return notFound();
          Report r = found.get();
          if (changed || (r.status() == Status.CLAIMED && me.name().equals(r.assignee()))) return reportAnswer(r);
          if (!r.open()) return conflict("This report is " + r.status().name().toLowerCase(Locale.ROOT) + ".");
          return conflict("Already claimed by " + r.assignee() + ".");
        })));
  }

  private void note(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    String text = textField(jsonBody(ctx), "text");
    Answer invalid = ref == null ? notFound()
        : text == null ? badRequest("Send {\"text\": ...} as JSON, with the note.")
        : length(text) > MAX_NOTE_CHARS ? badRequest("A note is at most " + MAX_NOTE_CHARS + " characters.")
        : null;
    if (invalid != null) {
      finish(ctx, "note", ref, Future.succeededFuture(invalid));
      return;
    }
    finish(ctx, "note", ref, reports.note(ref, new TimelineEntry(clock.instant(), "note", me.name(), text))
        .compose(found -> found ? reports.get(ref).map(r -> r.map(this::reportAnswer).orElseGet(ConsoleApi::notFound))
            : Future.succeededFuture(notFound())));
  }

  private void close(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    JsonObject body = jsonBody(ctx);
    String outcomeId = textField(body, "outcome");
    Optional<Outcomes.Outcome> outcome = outcomeId == null ? Optional.empty() : outcomes().find(outcomeId);
    String note = textField(body, "note");
    boolean noteNotText = body != null && body.getValue("note") != null && !(body.getValue("note") instanceof String);
    Answer invalid = ref == null ? notFound()
        : outcomeId == null ? badRequest("Send {\"outcome\": ID, \"note\": \"...\"} as JSON; the IDs: " + String.join(", ", outcomes().ids()) + ".")
        : outcome.isEmpty() ? badRequest("'" + (outcomeId.length() > 40 ? outcomeId.substring(0, 40) + "..." : outcomeId)
            + "' is not an outcome; choose one of " + String.join(", ", outcomes().ids()) + " (config/outcomes.yaml).")
        : noteNotText ? badRequest("'note' must be text.")
        : note != null && length(note) > MAX_OUTCOME_CHARS ? badRequest("A note is at most " + MAX_OUTCOME_CHARS + " characters.")
        : null;
    if (invalid != null) {
      finish(ctx, "close", ref, Future.succeededFuture(invalid));
      return;
    }
    finish(ctx, "close", ref, reports.get(ref).compose(found -> {
      if (found.isEmpty()) return Future.succeededFuture(notFound());
      Report r = found.get();
      if (!r.open()) return Future.succeededFuture(conflict("This report is already " + r.status().name().toLowerCase(Locale.ROOT) + "."));
      boolean assignee = WORKED.contains(r.status()) && me.name().equals(r.assignee());
      if (!assignee && !me.supervisor()) {
        return Future.succeededFuture(forbidden("Only the officer who claimed this report, or a supervisor, can close it."));
      }
      Set<Status> from = me.supervisor() ? OPEN : WORKED;
      String keepAssignee = r.assignee() != null ? r.assignee() : me.name();
      Outcomes.Outcome o = outcome.get();
      TimelineEntry entry = new TimelineEntry(clock.instant(), "closed", me.name(), "Closed: " + o.label("en") + (note == null ? "." : ". " + note));
      return reports.changeStatus(ref, from, Status.CLOSED, keepAssignee, entry, held(r), o.id()).compose(changed -> changed
          ? reports.get(ref).map(after -> after.map(this::reportAnswer).orElseGet(ConsoleApi::notFound))
          : Future.succeededFuture(conflict("The report changed meanwhile; reload it.")));
    }));
  }

  /** Statuses a supervisor can reopen a report from: it left the queue closed, or referred to a partner. */
  static final Set<Status> DONE = EnumSet.of(Status.CLOSED, Status.REFERRED);

  /**
   * A supervisor reopens a closed (or referred) report with a reason, which goes on the timeline: it
   * is back in the queue, in progress, with the officer who had it (or the supervisor).
   */
  private void reopen(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    String reason = textField(jsonBody(ctx), "reason");
    Answer invalid = ref == null ? notFound()
        : reason == null || reason.isBlank() ? badRequest("Send {\"reason\": ...} as JSON: why the report is opened again.")
        : length(reason) > MAX_OUTCOME_CHARS ? badRequest("A reason is at most " + MAX_OUTCOME_CHARS + " characters.")
        : null;
    if (invalid != null) {
      finish(ctx, "reopen", ref, Future.succeededFuture(invalid));
      return;
    }
    finish(ctx, "reopen", ref, reports.get(ref).compose(found -> {
      if (found.isEmpty()) return Future.succeededFuture(notFound());
      Report r = found.get();
      if (!DONE.contains(r.status())) return Future.succeededFuture(conflict("This report is open; only a closed or referred report can be reopened."));
      String assignee = r.assignee() != null ? r.assignee() : me.name();
      TimelineEntry entry = new TimelineEntry(clock.instant(), "reopened", me.name(), "Reopened: " + reason.strip());
      return reports.changeStatus(ref, DONE, Status.IN_PROGRESS, assignee, entry, null).compose(changed -> changed
          ? current(ref)
          : Future.succeededFuture(conflict("The report changed meanwhile; reload it.")));
    }));
  }

  private void acknowledge(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    if (ref == null) {
      finish(ctx, "acknowledge", null, Future.succeededFuture(notFound()));
      return;
    }
    finish(ctx, "acknowledge", ref, escalation.acknowledge(ref, me.name()).compose(found -> found
        ? reports.get(ref).map(r -> r.map(this::reportAnswer).orElseGet(ConsoleApi::notFound))
        : Future.succeededFuture(notFound())));
  }


  private void whoAmI(RoutingContext ctx) {
    Officer me = caller(ctx).officer();
    JsonObject body = new JsonObject().put("username", me.name()).put("role", me.role().wire());
    if (desk != null) body.put("languages", desk.languages()).put("defaultLanguage", desk.labels().language(null));
    send(ctx, ok(body));
  }

  private void release(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    if (ref == null) {
      finish(ctx, "release", null, Future.succeededFuture(notFound()));
      return;
    }
    finish(ctx, "release", ref, worked(ref, me, "release").compose(r -> {
      if (r.answer() != null) return Future.succeededFuture(r.answer());
      TimelineEntry entry = new TimelineEntry(clock.instant(), "released", me.name(), "Released by " + me.name() + ": back on the queue.");
      return reports.changeStatus(ref, WORKED, Status.NEW, null, entry, held(r.report())).compose(changed -> changed ? current(ref)
          : Future.succeededFuture(conflict("The report changed meanwhile; reload it.")));
    }));
  }

  private void reply(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    JsonObject body = jsonBody(ctx);
    // {"canned": ID}: a prepared reply, whose text the server fills in the reporter's language (CannedReplyApi).
    CannedReplyApi.Choice canned = CannedReplyApi.choice(desk.replies(), body);
    String typed = textField(body, "text");
    Answer invalid = ref == null ? notFound() : canned != null ? canned.invalid()
        : typed == null ? badRequest("Send {\"text\": ...} as JSON, with the reply, or {\"canned\": ID} for a prepared one.") : null;
    if (invalid != null) {
      finish(ctx, "reply", ref, Future.succeededFuture(invalid));
      return;
    }
    finish(ctx, "reply", ref, worked(ref, me, "reply to the reporter of").compose(w -> {
      if (w.answer() != null) return Future.succeededFuture(w.answer());
      CannedReplyApi.Filled filled = canned == null ? null : CannedReplyApi.fill(desk.replies(), canned.reply(), w.report());
      if (filled != null && filled.refused() != null) return Future.succeededFuture(filled.refused());
      String text = filled == null ? typed : filled.text();
      String onTimeline = filled == null ? typed : filled.timeline();
      boolean[] recorded = new boolean[1];
      String[] what = {"SMS"};
      // The reply goes on the timeline before Twilio is asked: what may have reached the reporter is always on record.
      java.util.function.Function<ReporterLine.Way, Future<?>> record = way -> {
        if (way != ReporterLine.Way.SMS) what[0] = "WhatsApp message";
        return reports.note(ref, replyEntry(way, me, onTimeline)).onSuccess(v -> recorded[0] = true);
      };
      return reports.timeline(ref).compose(timeline -> desk.line().send(w.report(), timeline, text, record)).compose(sent -> {
        if (!sent.sent()) return Future.succeededFuture(new Answer(sent.status(), error(sent.reason()), sent.status() == 400 ? "invalid" : "refused"));
        LOG.info("Officer {} answered the reporter of {} ({}).", me.name(), ref, sent.way().label());
        JsonObject done = new JsonObject().put("sent", true).put("segments", sent.segments()).put("by", sent.way().label());
        if (sent.way() == ReporterLine.Way.WHATSAPP_TEMPLATE) {
          done.put("template", true).put("warning", TEMPLATE_SENT);
        } else if (sent.reason() != null) {
          done.put("warning", sent.reason());
        }
        // Sent: whatever happens now, the answer says so (a retry would text the reporter twice).
        return current(ref).map(a -> ok(a.body().mergeIn(done))).otherwise(x -> ok(done));
      }).recover(err -> {
        if (!recorded[0] && err instanceof StoreUnavailable) return Future.failedFuture(err);
        LOG.warn("Officer {}'s {} to the reporter of {} was not sent: {}.", me.name(), what[0], ref, err.getClass().getSimpleName());
        String why = err instanceof org.sathi.channel.SmsSender.SendFailed ? err.getMessage() : "the SMS gateway could not be reached";
        Future<?> noted = recorded[0]
            ? reports.note(ref, new TimelineEntry(clock.instant(), "reply-failed", "sathi", "The " + what[0] + " above was not sent: " + why + "."))
            : Future.succeededFuture();
        return noted.otherwise(x -> null)
            .map(v -> new Answer(502, error("The " + what[0] + " was not sent (" + why + "); try again."), "failed"));
      });
    }));
  }

  /** The prepared replies for a report: meanings in the console language ({@code lang}), texts in the report's, with their SMS cost. */
  private void cannedReplies(RoutingContext ctx) {
    String ref = reference(ctx);
    finish(ctx, "replies", ref, ref == null ? Future.succeededFuture(notFound()) : reports.get(ref).map(found -> found
        .map(r -> CannedReplyApi.offer(desk.replies(), r, ctx.queryParams().get("lang"))).orElseGet(ConsoleApi::notFound)));
  }

  static final String TEMPLATE_SENT = "WhatsApp's window had closed, so your words were not sent: the approved WhatsApp template went instead,"
      + " inviting the reporter to write back. Answer them once they write.";

  /** The timeline's note of a reply: the officer's words, or on WhatsApp outside its window, that they were not sent and what went instead. */
  private TimelineEntry replyEntry(ReporterLine.Way way, Officer me, String text) {
    if (way != ReporterLine.Way.WHATSAPP_TEMPLATE) return new TimelineEntry(clock.instant(), "reply", me.name(), text);
    return new TimelineEntry(clock.instant(), "reply-template", me.name(), "Not sent (WhatsApp's window had closed): " + text
        + " | Sent instead: the approved WhatsApp template inviting the reporter to write back.");
  }

  private void refer(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    JsonObject body = jsonBody(ctx);
    String id = textField(body, "service");
    String note = textField(body, "note");
    Optional<Referrals.Service> service = id == null ? Optional.empty() : desk.referrals().find(id);
    Answer invalid = ref == null ? notFound()
        : service.isEmpty() ? badRequest("Send {\"service\": ...} with the id of a service in config/referrals.yaml (GET /api/referrals).")
        : note != null && length(note) > MAX_NOTE_CHARS ? badRequest("A note is at most " + MAX_NOTE_CHARS + " characters.")
        : null;
    if (invalid != null) {
      finish(ctx, "refer", ref, Future.succeededFuture(invalid));
      return;
    }
    Referrals.Service s = service.get();
    finish(ctx, "refer", ref, worked(ref, me, "refer").compose(w -> {
      if (w.answer() != null) return Future.succeededFuture(w.answer());
      String text = "Referred to " + s.name() + " (" + s.kind() + (s.area() == null ? "" : ", " + s.area()) + ")" + (note == null ? "." : ": " + note);
      TimelineEntry entry = new TimelineEntry(clock.instant(), "referred", me.name(), text);
      // A referral is work on the case: the report stays on the queue, in progress, until it is closed.
      return reports.changeStatus(ref, WORKED, Status.IN_PROGRESS, w.report().assignee() != null ? w.report().assignee() : me.name(), entry,
              held(w.report()))
          .compose(changed -> changed ? current(ref) : Future.succeededFuture(conflict("The report changed meanwhile; reload it.")));
    }));
  }

  /** Paths an analyst may use: their own session, the outcomes' names, and statistics. */
  static final Set<String> ANALYST_PATHS = Set.of("/api/session", "/api/outcomes", "/api/statistics", "/api/statistics/export");

  /** An analyst sees numbers and never case content: every other endpoint is 403, audited. */
  private void analystsSeeStatisticsOnly(RoutingContext ctx) {
    if (!caller(ctx).officer().analyst() || ANALYST_PATHS.contains(ctx.request().path())) {
      ctx.next();
      return;
    }
    String ref = ctx.pathParam("reference");
    finish(ctx, "analyst-denied", ref == null ? null : ReferenceCode.parse(ref).orElse(null),
        Future.succeededFuture(forbidden("An analyst sees statistics only, never a report.")));
  }

  /**
   * Statistics are for supervisors and analysts, exact counts for supervisors only; anyone else
   * gets 403. Either way the request is audited as {@code action}.
   */
  private void finishStatistics(RoutingContext ctx, String action, boolean exact, java.util.function.Supplier<Future<Answer>> answer) {
    Officer o = caller(ctx).officer();
    boolean allowed = exact ? o.supervisor() : o.supervisor() || o.analyst();
    finish(ctx, action, null, allowed ? answer.get()
        : Future.succeededFuture(forbidden(exact ? "Only a supervisor can see exact counts." : "Statistics are for supervisors and analysts.")));
  }

  /** How a report can end, for the close form: each outcome's id, label in the officer's language, and meaning. */
  private void outcomes(RoutingContext ctx) {
    String lang = ctx.queryParams().get("lang");
    JsonArray list = new JsonArray();
    for (Outcomes.Outcome o : outcomes().outcomes()) {
      list.add(new JsonObject().put("id", o.id()).put("label", o.label(lang == null ? "en" : lang)).put("meaning", o.meaning()));
    }
    send(ctx, ok(new JsonObject().put("outcomes", list)));
  }

  private Outcomes outcomes() {
    if (outcomes == null) outcomes = Outcomes.shipped();
    return outcomes;
  }

  /** Lets only supervisors on; anyone else gets 403, audited as {@code action} denied. */
  private Handler<RoutingContext> supervisorOnly(String action, String why) {
    return ctx -> {
      if (caller(ctx).officer().supervisor()) {
        ctx.next();
      } else {
        finish(ctx, action, ctx.pathParam("reference") == null ? null : reference(ctx), Future.succeededFuture(forbidden(why)));
      }
    };
  }

  private void reveal(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    if (ref == null) {
      finish(ctx, "reveal", null, Future.succeededFuture(notFound()));
      return;
    }
    finish(ctx, "reveal", ref, reports.get(ref).compose(found -> {
      if (found.isEmpty()) return Future.succeededFuture(notFound());
      Report r = found.get();
      String sealed = ReporterLine.consented(r) ? desk.sealer().open(r.sealedContact(), r.callerKey()) : null;
      if (sealed == null) return Future.succeededFuture(conflict("The reporter did not agree to be called back: there is no number to show."));
      // A WhatsApp reporter's call-back number is the one their address shows; a WhatsApp user id is not one to show or call.
      String number = org.sathi.channel.whatsapp.WhatsAppAddress.isWhatsApp(sealed)
          ? org.sathi.channel.whatsapp.WhatsAppAddress.parse(sealed).map(org.sathi.channel.whatsapp.WhatsAppAddress::phone).orElse(null) : sealed;
      if (number == null) {
        return Future.succeededFuture(conflict("The reporter wrote on WhatsApp without showing a phone number: there is no number to show;"
            + " answer them with Reply."));
      }
      LOG.info("Supervisor {} revealed the call-back number of {}.", me.name(), ref);
      TimelineEntry entry = new TimelineEntry(clock.instant(), "revealed", me.name(), "Call-back number shown to " + me.name() + ".");
      return reports.note(ref, entry).map(v -> ok(new JsonObject().put("number", number)));
    }));
  }

  private void export(RoutingContext ctx) {
    String ref = reference(ctx);
    Officer me = caller(ctx).officer();
    if (ref == null) {
      finish(ctx, "export", null, Future.succeededFuture(notFound()));
      return;
    }
    ctx.response().putHeader("Content-Disposition", "attachment; filename=\"sathi-report-" + ref + ".json\"");
    finish(ctx, "export", ref, reports.get(ref).compose(found -> found.isEmpty() ? Future.succeededFuture(notFound())
        : reports.timeline(ref).compose(timeline -> detail(found.get(), timeline, ctx.queryParams().get("lang")))
            .map(d -> ok(d.put("exportedAt", clock.instant().toString()).put("exportedBy", me.name())))));
  }

  /** The audit entries a filtered read of the log looks through, newest first. */
  static final int MAX_AUDIT_SCANNED = 10_000;

  /** The audit log, newest first, filtered by {@code officer}, {@code action}, {@code reference}, {@code from} and {@code to} (dates, UTC). */
  private void auditLog(RoutingContext ctx) {
    int limit = MAX_AUDIT_LISTED;
    String asked = ctx.queryParams().get("limit");
    if (asked != null) {
      if (!asked.matches("[0-9]{1,4}") || Integer.parseInt(asked) < 1) {
        finish(ctx, "audit", null, Future.succeededFuture(badRequest("limit is a number from 1 to " + MAX_AUDIT_LISTED + ".")));
        return;
      }
      limit = Math.min(MAX_AUDIT_LISTED, Integer.parseInt(asked));
    }
    AuditQuery query;
    try {
      query = AuditQuery.parse(ctx.queryParams()::get);
    } catch (IllegalArgumentException e) {
      finish(ctx, "audit", null, Future.succeededFuture(badRequest(e.getMessage())));
      return;
    }
    int shown = limit;
    finish(ctx, "audit", null, audit.latest(query.any() ? MAX_AUDIT_SCANNED : limit).map(entries -> {
      JsonArray list = new JsonArray();
      entries.stream().filter(query::matches).limit(shown).forEach(e -> list.add(new JsonObject().put("at", e.at().toString())
          .put("officer", e.officer()).put("action", e.action()).put("reference", e.reference()).put("outcome", e.outcome())));
      return ok(new JsonObject().put("entries", list));
    }));
  }

  private void referrals(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    desk.referrals().services().forEach(s -> list.add(new JsonObject().put("id", s.id()).put("name", s.name()).put("kind", s.kind())
        .put("area", s.area()).put("phone", s.phone()).put("hours", s.hours()).put("sample", s.sample())));
    send(ctx, ok(new JsonObject().put("services", list)));
  }

  /** A recorded answer, played through Sathi: the officer needs no Twilio login, and the browser never sees Twilio's URL. */
  private void recording(RoutingContext ctx) {
    String ref = reference(ctx);
    String part = ctx.pathParam("part");
    Officer me = caller(ctx).officer();
    if (ref == null || !(part.equals("details") || part.equals("place"))) {
      finish(ctx, "listen", ref, Future.succeededFuture(notFound()));
      return;
    }
    reports.get(ref).compose(found -> {
      String url = found.flatMap(r -> Optional.ofNullable(r.answers()))
          .map(a -> part.equals("details") ? a.recording() : a.placeRecording()).orElse(null);
      if (url == null) return Future.succeededFuture(new Recordings.Audio(404, null, null, "This report has no such recording."));
      return desk.recordings().fetch(ctx.vertx(), url);
    }).compose(audio -> record(me.name(), "listen", ref, audio.status() == 200 ? "ok" : "failed").map(audio)).onSuccess(audio -> {
      if (audio.status() != 200) {
        send(ctx, new Answer(audio.status(), error(audio.problem()), "failed"));
        return;
      }
      ctx.response().putHeader("Content-Type", audio.contentType()).end(audio.body());
    }).onFailure(ctx::fail);
  }

  /** A report an officer is working: found, open, and claimed by them (or they are a supervisor); else the answer to give. */
  record Worked(Report report, Answer answer) {}

  private Future<Worked> worked(String ref, Officer me, String action) {
    return reports.get(ref).map(found -> {
      if (found.isEmpty()) return new Worked(null, notFound());
      Report r = found.get();
      if (!r.open()) return new Worked(r, conflict("This report is " + r.status().name().toLowerCase(Locale.ROOT) + "."));
      boolean mine = WORKED.contains(r.status()) && me.name().equals(r.assignee());
      if (!mine && !me.supervisor()) {
        return new Worked(r, forbidden(r.status() == Status.NEW ? "Claim this report first, then " + action + " it."
            : "Only the officer who claimed this report (" + r.assignee() + "), or a supervisor, can " + action + " it."));
      }
      if (!WORKED.contains(r.status()) && !action.startsWith("reply")) return new Worked(r, conflict("Claim this report first."));
      return new Worked(r, null);
    });
  }

  /** Who holds the report as the officer saw it: a change is made only while that is still so. */
  private static String held(Report r) {
    return r.assignee() == null ? "" : r.assignee();
  }

  private Future<Answer> current(String ref) {
    return reports.get(ref).map(r -> r.map(this::reportAnswer).orElseGet(ConsoleApi::notFound));
  }

  private void noSuchEndpoint(RoutingContext ctx) {
    send(ctx, new Answer(404, error("No such endpoint."), "not found"));
  }

  /** Errors under /api are JSON, never a stack trace or an exception's message (it could quote input). */
  private void failed(RoutingContext ctx) {
    if (ctx.response().ended()) return;
    int status = ctx.statusCode();
    Throwable failure = ctx.failure();
    if (status == 413) {
      send(ctx, new Answer(413, error("The request is too large (at most " + MAX_BODY_BYTES + " bytes)."), "invalid"));
    } else if (status >= 400 && status < 500) {
      send(ctx, new Answer(status, error("The request was not understood."), "invalid"));
    } else if (failure instanceof StoreUnavailable) {
      LOG.warn("A console request to {} failed: the store is unavailable.", route(ctx));
      send(ctx, new Answer(503, error("The store is unavailable; try again in a moment."), "failed"));
    } else {
      LOG.error("A console request to {} failed: {}.", route(ctx), failure == null ? "no cause" : failure.getClass().getName());
      send(ctx, new Answer(500, error("Internal error."), "failed"));
    }
  }

  /**
   * Where a login came from, for the throttle: the socket's peer, or behind a trusted proxy the last
   * address it appended to X-Forwarded-For (the ones before it are the client's to invent).
   */
  private String clientAddress(RoutingContext ctx) {
    if (desk != null && desk.trustForwardedFor()) {
      String forwarded = ctx.request().getHeader("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].strip();
        if (!last.isEmpty() && last.length() <= 64) return last;
      }
    }
    return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
  }

  /** The route's pattern, never the path as sent: it could carry anything. */
  private static String route(RoutingContext ctx) {
    return ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "/api" : ctx.currentRoute().getPath();
  }

  // ---- answers and replies

  private Answer reportAnswer(Report r) {
    return ok(new JsonObject().put("report", summary(r)));
  }

  /** A queue line, with the time its page must be acknowledged by (none once acknowledged, claimed, or for P3). */
  private JsonObject summary(Report r) {
    Instant due = r.priority() == Priority.P3 || r.acknowledgedBy() != null || r.status() != Status.NEW ? null
        : r.createdAt().plus(escalation.deadline(r.priority()));
    return ReportView.summary(r).put("ackDeadline", due == null ? null : due.toString());
  }

  static Answer ok(JsonObject body) {
    return new Answer(200, body, "ok");
  }

  static Answer badRequest(String message) {
    return new Answer(400, error(message), "invalid");
  }

  private static Answer unauthorized() {
    return new Answer(401, error("Log in first."), "denied");
  }

  private static Answer wrongLogin() {
    return new Answer(401, error("Wrong username or password."), "failed");
  }

  private static Answer forbidden(String message) {
    return new Answer(403, error(message), "denied");
  }

  private static Answer notFound() {
    return new Answer(404, error("No such report."), "not found");
  }

  static Answer conflict(String message) {
    return new Answer(409, error(message), "conflict");
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

  /** Audits the officer's action, then sends the answer; nothing is sent when the audit cannot be written. */
  /** Reads the page repeats by itself ({@link #BACKGROUND_HEADER}): what the officer opened was audited when they opened it. */
  static final Set<String> REREADS = Set.of("list", "view");

  private void finish(RoutingContext ctx, String action, String reference, Future<Answer> answer) {
    String officer = caller(ctx).officer().name();
    boolean reread = REREADS.contains(action) && ctx.request().getHeader(BACKGROUND_HEADER) != null;
    answer.compose(a -> reread ? Future.succeededFuture(a) : record(officer, action, reference, a.outcome()).map(a))
        .onSuccess(a -> send(ctx, a))
        .onFailure(ctx::fail);
  }

  private static void send(RoutingContext ctx, Answer a) {
    if (ctx.response().ended()) return;
    if (a.csv() != null) {
      ctx.response().setStatusCode(a.status()).putHeader("Content-Type", "text/csv; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"" + a.filename() + "\"").end(a.csv());
      return;
    }
    ctx.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json; charset=utf-8").end(a.body().encode());
  }

  private Future<Void> record(String officer, String action, String reference, String outcome) {
    return audit.append(new AuditEntry(clock.instant(), officer, action, reference, outcome));
  }

  /** The name to audit for a login: the account's, when there is one; what was typed could be a password. */
  private Future<String> auditedName(String name) {
    return accounts.find(name).map(o -> o.map(Officer::name).orElse(UNKNOWN_OFFICER));
  }

  // ---- request parts

  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  /** The path's reference in its stored form ({@code acde-fghj} is ACDE-FGHJ); null when it is not shaped like one. */
  private static String reference(RoutingContext ctx) {
    return ReferenceCode.parse(ctx.pathParam("reference")).orElse(null);
  }

  /** The request's JSON object; null when it is not JSON (a form cannot send application/json across sites). */
  private static JsonObject jsonBody(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) return null;
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  /** A non-blank text field, trimmed; null when missing, blank or not a string. */
  private static String textField(JsonObject body, String field) {
    if (body == null || !(body.getValue(field) instanceof String text) || text.isBlank()) return null;
    return text.strip();
  }

  private static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  private static boolean changesState(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }

  private static boolean csrfMatches(String sent, String expected) {
    return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private Cookie sessionCookie(String id) {
    return Cookie.cookie(SESSION_COOKIE, id).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookies);
  }

  /** Readable by the console's JavaScript, which sends it back in X-XSRF-TOKEN. */
  private Cookie csrfCookie(String token) {
    return Cookie.cookie(CSRF_COOKIE, token).setPath("/").setHttpOnly(false).setSameSite(CookieSameSite.STRICT).setSecure(secureCookies);
  }

  private void clearCookies(RoutingContext ctx) {
    ctx.response().addCookie(sessionCookie("").setMaxAge(0)).addCookie(csrfCookie("").setMaxAge(0));
  }
}
