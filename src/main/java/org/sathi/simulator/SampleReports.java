package org.sathi.simulator;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.sathi.duty.Triager;
import org.sathi.report.Outcomes;
import org.sathi.report.Priority;
import org.sathi.report.ReferenceCode;
import org.sathi.report.Report;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportStore;
import org.sathi.report.TimelineEntry;

/**
 * Synthetic reports for {@code ./sathi demo --sample-data}, so that the statistics page and the case
 * list have something to show, and for the statistics benchmark. Plausible in shape (the report
 * flow's own codes, the hotline's languages and the demo's channels, triaged by the real rules,
 * most of them worked and closed with an outcome), and never mistaken for real: each carries the
 * flag {@value #FLAG}, its timeline starts with {@value #FIRST_ENTRY}, its caller is no phone's
 * hash and it has no number at all.
 *
 * <p>The same seed gives the same reports: report {@code i} comes from its own random stream, so a
 * caller can make a hundred thousand one batch at a time without holding them all.
 */
public final class SampleReports {
  /** The flag every sample report carries, shown with it in the console. */
  public static final String FLAG = "synthetic";
  /** The first entry of every sample report's timeline. */
  public static final String FIRST_ENTRY = "Synthetic sample report (./sathi demo --sample-data)";
  /** How many reports the demo makes, and over how many months before today. */
  public static final int DEMO_COUNT = 500;
  public static final int DEMO_MONTHS = 6;
  /** The demo's seed: the same sample every run (over the months before that day). */
  public static final long DEMO_SEED = 16;
  /** The demo's channels: Twilio's SMS, calls, the demo's USSD code and WhatsApp. */
  public static final List<String> CHANNELS = List.of(org.sathi.turn.TextChannel.DEFAULT_TWILIO, "voice", "ussd:" + UssdPlayer.DEMO_CHANNEL,
      org.sathi.channel.Channels.WhatsApp.DEFAULT_NAME);
  /** The demo's console accounts, who work the sample reports. */
  public static final List<String> OFFICERS = List.of("officer", "supervisor");
  /** Reports older than this are mostly closed; newer ones are mostly still being worked. */
  static final Duration RECENT = Duration.ofDays(21);
  /** Reports as new as this may still be waiting for anyone (status NEW). */
  static final Duration WAITING = Duration.ofDays(3);

  /** One sample report and its timeline, as {@link ReportStore#create} takes them. */
  public record Sample(Report report, List<TimelineEntry> timeline) {}

  private final List<String> languages;
  private final Outcomes outcomes;
  private final Triager triager;
  private final Function<ReportAnswers, Map<String, Object>> standards;

  /**
   * @param languages the hotline's enabled language codes
   * @param outcomes  how a report can end (config/outcomes.yaml): closed reports get these ids
   * @param triager   the triage rules, for each report's priority and flags
   * @param standards the crosswalk of answers onto the field's standards
   */
  public SampleReports(List<String> languages, Outcomes outcomes, Triager triager, Function<ReportAnswers, Map<String, Object>> standards) {
    if (languages.isEmpty()) throw new IllegalArgumentException("sample reports need at least one language");
    this.languages = List.copyOf(languages);
    this.outcomes = outcomes;
    this.triager = triager;
    this.standards = standards;
  }

  /** The demo's window: the {@value #DEMO_MONTHS} months before the start of today (UTC). */
  public static Instant[] beforeToday(Clock clock) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return new Instant[] {today.minusMonths(DEMO_MONTHS).atStartOfDay(ZoneOffset.UTC).toInstant(), today.atStartOfDay(ZoneOffset.UTC).toInstant()};
  }

  /** {@code count} reports received in {@code [from, to)}, worked as of {@code to}; the same for the same seed. */
  public List<Sample> make(int count, Instant from, Instant to, long seed) {
    return make(0, count, from, to, seed);
  }

  /** Reports {@code first} to {@code first + count - 1} of that sample: a large one made a batch at a time. */
  public List<Sample> make(int first, int count, Instant from, Instant to, long seed) {
    List<Sample> out = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) out.add(one(i, from, to, seed));
    return out;
  }

  /** Stores the samples, {@code batch} at a time, each batch sent at once (pipelined on Redis); how many were new. */
  public static Future<Integer> store(ReportStore store, List<Sample> samples, int batch) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (int start = 0; start < samples.size(); start += batch) {
      List<Sample> part = samples.subList(start, Math.min(samples.size(), start + batch));
      chain = chain.compose(before -> {
        List<Future<Boolean>> created = part.stream().map(s -> store.create(s.report(), s.timeline(), "", Optional.empty())).toList();
        return Future.all(created).map(done -> before + (int) created.stream().filter(Future::result).count());
      });
    }
    return chain;
  }

  // ---- one report

  private static final String[] WHO = {"self", "child", "children", "adult", "other"};
  private static final int[] WHO_WEIGHT = {30, 35, 10, 15, 10};
  private static final String[] WHAT = {"forced_labour", "sexual_exploitation", "forced_criminality", "forced_begging", "moved_or_sold",
      "forced_marriage", "online_abuse", "other"};
  private static final int[] WHAT_WEIGHT = {25, 14, 5, 10, 15, 15, 8, 8};
  private static final String[] DANGER = {"yes", "no", "unsure"};
  private static final int[] DANGER_WEIGHT = {18, 57, 25};
  private static final String[] GENDER = {"girl", "boy", "other", "unknown"};
  private static final int[] GENDER_WEIGHT = {46, 38, 2, 14};
  /** Children's ages by CHI's bands (0-3 ... 16-17), then 18 to 24: most reports are about teenagers. */
  private static final int[][] AGE_BANDS = {{0, 3}, {4, 6}, {7, 9}, {10, 12}, {13, 15}, {16, 17}, {18, 24}};
  private static final int[] AGE_WEIGHT = {2, 4, 8, 18, 32, 26, 10};
  private static final String[] PLACES = {"Khulna, near the bus stand", "Jessore", "Satkhira, the border road", "Dhaka, Kamrangirchar",
      "Cox's Bazar", "Sylhet", "Chittagong port", "Rajshahi", "Kathmandu", "Birgunj", "Kolkata, Howrah", "Barisal"};
  /** Short, plainly made-up accounts for the text channels that ask for one. */
  private static final String[] DETAILS = {"Sample text: a boy works at the brick kiln every day and is not paid.",
      "Sample text: a girl next door was promised a job in the city and has not come back.",
      "Sample text: children are made to beg at the station and give the money to a man.",
      "Sample text: my cousin is to be married next month, she is 14.",
      "Sample text: someone online asks my sister for photos and threatens her.",
      "Sample text: a man took our passports and says we owe him money."};
  private static final String[] CHANNEL_FOR_REPORT = CHANNELS.toArray(String[]::new);
  private static final int[] CHANNEL_WEIGHT = {35, 25, 20, 20};
  /** How closed reports ended, by weight; an id the outcomes do not list is left out. */
  private static final Map<String, Integer> OUTCOME_WEIGHT = Map.of("referred", 22, "resolved", 24, "advice_given", 24, "no_action_possible", 9,
      "duplicate", 5, "not_a_report", 8, "unreachable", 8);

  Sample one(int i, Instant from, Instant to, long seed) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    long span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
    Instant created = Instant.ofEpochMilli(from.toEpochMilli() + r.nextLong(span));
    String reference = ReferenceCode.derivedFrom("synthetic:" + seed + ":" + i);
    String language = language(r);

    int k = r.nextInt(100);
    boolean handoff = k < 12;
    boolean voicemail = !handoff && k < 20;
    String kind = handoff ? "handoff" : "report";
    String channel = voicemail ? "voice" : handoff ? (r.nextInt(10) < 7 ? "voice" : CHANNELS.get(0)) : pick(r, CHANNEL_FOR_REPORT, CHANNEL_WEIGHT);
    ReportAnswers answers = handoff ? null : voicemail ? ReportAnswers.from(Map.of(), channel) : answers(r, channel);

    Triager.Triaged t = triager.assess(kind, language, answers, 0);
    Priority priority = voicemail ? Priority.P1 : t.priority();
    List<String> flags = new ArrayList<>();
    flags.add(FLAG);
    flags.addAll(t.flags());
    List<String> reasons = new ArrayList<>(t.reasons());
    if (voicemail) {
      // As the duty desk files a voicemail left after a hand-off nobody answered: P1, flagged.
      if (!flags.contains("voicemail")) flags.add("voicemail");
      reasons.add("voicemail: left after a call for a person that nobody answered");
    }

    List<TimelineEntry> timeline = new ArrayList<>();
    timeline.add(new TimelineEntry(created, FLAG, "sathi", FIRST_ENTRY));
    timeline.add(new TimelineEntry(created, "received", "sathi", handoff ? "Asked for a person by " + channel + "." : "Report received by " + channel + "."));
    Instant at = before(to, created.plusSeconds(1 + r.nextInt(5)));
    timeline.add(new TimelineEntry(at, "triaged", "sathi", priority + (reasons.isEmpty() ? ": no rule fired." : ": " + String.join("; ", reasons))));

    // How far it got by `to`: waiting, worked, or ended.
    Duration age = Duration.between(created, to);
    int s = r.nextInt(100);
    boolean waiting = age.compareTo(WAITING) < 0 && s < 35;
    boolean ended = !waiting && (age.compareTo(RECENT) >= 0 ? s < 93 : s < 45);
    Report.Status status = Report.Status.NEW;
    String assignee = null;
    String outcome = null;
    if (!waiting) {
      assignee = OFFICERS.get(r.nextInt(OFFICERS.size()));
      at = before(to, at.plus(Duration.ofMinutes(2 + r.nextInt(priority == Priority.P1 ? 20 : 240))));
      timeline.add(new TimelineEntry(at, "claimed", assignee, "Claimed by " + assignee + "."));
      status = r.nextBoolean() ? Report.Status.CLAIMED : Report.Status.IN_PROGRESS;
      if (ended) outcome = outcome(r);
      boolean referred = Outcomes.REFERRED.equals(outcome) || !ended && r.nextInt(4) == 0;
      if (r.nextInt(3) == 0) {
        at = before(to, at.plus(Duration.ofMinutes(5 + r.nextInt(600))));
        timeline.add(new TimelineEntry(at, "note", assignee, "Sample note: spoke to the district child protection officer."));
      }
      if (referred) {
        at = before(to, at.plus(Duration.ofMinutes(10 + r.nextInt(1440))));
        timeline.add(new TimelineEntry(at, "referred", assignee, "Referred to a sample shelter (shelter)."));
        status = Report.Status.IN_PROGRESS;
      }
      if (ended) {
        at = before(to, at.plus(Duration.ofHours(1 + r.nextInt(24 * 7))));
        timeline.add(new TimelineEntry(at, "closed", assignee, "Closed: " + outcomes.find(outcome).map(o -> o.label("en")).orElse(outcome) + "."));
        status = Report.Status.CLOSED;
      }
    }
    Report report = new Report(reference, kind, channel, language, created, callerKey(r), answers,
        answers == null ? Map.of() : standards.apply(answers), flags, priority, status, assignee, null, 0, null, outcome);
    return new Sample(report, List.copyOf(timeline));
  }

  private ReportAnswers answers(SplittableRandom r, String channel) {
    String who = pick(r, WHO, WHO_WEIGHT);
    String what = r.nextInt(100) < 4 ? null : pick(r, WHAT, WHAT_WEIGHT);
    String danger = pick(r, DANGER, DANGER_WEIGHT);
    Integer age;
    if (r.nextInt(100) < 12) {
      age = null;
    } else if (who.equals("adult")) {
      age = 18 + r.nextInt(28);
    } else {
      int[] band = AGE_BANDS[index(r, AGE_WEIGHT)];
      age = band[0] + r.nextInt(band[1] - band[0] + 1);
    }
    String gender = pick(r, GENDER, GENDER_WEIGHT);
    String place = r.nextInt(100) < 85 ? PLACES[r.nextInt(PLACES.length)] : null;
    // A call records its account and USSD asks for none: only SMS and WhatsApp reports carry typed text.
    boolean typed = !channel.equals("voice") && !channel.startsWith("ussd:");
    String details = typed && r.nextInt(100) < 70 ? DETAILS[r.nextInt(DETAILS.length)] : null;
    return new ReportAnswers(who, what, danger, age, gender, place, details, null, "no", null, null);
  }

  private String language(SplittableRandom r) {
    // Mostly Bengali, then English, Hindi and Nepali, where the hotline speaks them; a few of every other language.
    int[] weights = new int[languages.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = switch (languages.get(i)) {
        case "bn" -> 40;
        case "en" -> 14;
        case "hi" -> 10;
        case "ne" -> 8;
        default -> 2;
      };
    }
    return languages.get(index(r, weights));
  }

  private String outcome(SplittableRandom r) {
    List<String> ids = outcomes.ids();
    int[] weights = new int[ids.size()];
    for (int i = 0; i < weights.length; i++) weights[i] = OUTCOME_WEIGHT.getOrDefault(ids.get(i), 3);
    return ids.get(index(r, weights));
  }

  /** Looks like a keyed hash, is none: no phone's number gives it. */
  private static String callerKey(SplittableRandom r) {
    return FLAG + "-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  private static Instant before(Instant to, Instant t) {
    return t.isBefore(to) ? t : to.minusMillis(1);
  }

  private static String pick(SplittableRandom r, String[] values, int[] weights) {
    return values[index(r, weights)];
  }

  private static int index(SplittableRandom r, int[] weights) {
    int total = 0;
    for (int w : weights) total += w;
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}
