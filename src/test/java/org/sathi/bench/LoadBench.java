package org.sathi.bench;

import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.sathi.testing.RedisServerProcess;
import org.sathi.channel.twilio.Signature;

/**
 * {@code ./sathi bench}: many simulated callers through whole SMS and voice conversations, with
 * signed webhooks, against {@code sathi serve} (its own JVM, {@code -Xmx256m}) and a real
 * redis-server on loopback (AOF, appendfsync always, as readiness requires); and, in the same run,
 * against {@link Baseline}, which does a turn's Redis round trips and nothing else. Prints
 * throughput and HdrHistogram latency per kind of turn side by side, Redis bytes per active
 * conversation, Sathi's heap, its time to ready, and the JMH micro-benchmarks.
 *
 * <p>Options: {@code --concurrency N} (32), {@code --seconds N} measured per phase (15),
 * {@code --warmup N} seconds (5), {@code --conversations N} for the Redis memory figure (10000),
 * {@code --heap-conversations N} (100000), {@code --no-jmh}, {@code --profile} (Java Flight Recorder on Sathi; prints its hot methods).
 * {@code --statistics [--reports N] [--queries N]} runs {@link StatisticsBench} instead: a statistics query over a quarter of 100,000 reports.
 */
public final class LoadBench {
  static final String PUBLIC_URL = "http://bench.sathi.test";
  static final String TOKEN = "bench-auth-token-0123456789";
  static final String HOTLINE = "+8809610000000";
  static final String RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE";

  /** An adult, "other", no danger, 30, other gender: a P3 report, so no page goes out during the run. */
  static final List<String> SMS_SCRIPT = List.of("হ্যালো", "১", "৪", "৮", "২", "৩০", "৩", "খুলনা বাস স্ট্যান্ড", "সে খুব ভয় পাচ্ছে।", "২");
  static final List<String> VOICE_SCRIPT = List.of("dial", "1", "4", "8", "2", "30", "3", "record", "record", "2", "status");
  static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");
  /** The Bengali fallbacks as the shipped catalog words them (a turn that gets one is counted as failed). */
  static final String SMS_FALLBACK;
  static final String VOICE_FALLBACK;

  static {
    try {
      var config = org.sathi.server.Config.load(Path.of("config/sathi.yaml"), Map.of());
      var bundle = org.sathi.flow.load.FlowLoader.load(Path.of("ivr-flows"), config.numbers(), config.sms().maxSegmentsPerReply()).bundle();
      SMS_FALLBACK = bundle.catalog("bn", "880").text("common.fallback");
      VOICE_FALLBACK = org.sathi.voice.VoicePromptsAccess.speakable(bundle.catalog("bn", "880").text("voice.fallback"));
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Conversations in progress at once in the fixed-rate phase. */
  static final int OPEN_LOOP_CALLERS = 512;

  final int concurrency;
  final int seconds;
  final int warmup;
  final int conversations;
  final int heapConversations;
  final boolean jmh;
  final boolean profile;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
      .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
  final Signature signature = new Signature(TOKEN);
  final AtomicLong ids = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  int sathiPort;
  int baselinePort;

  LoadBench(Map<String, String> opts) {
    concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "32"));
    seconds = Integer.parseInt(opts.getOrDefault("seconds", "15"));
    warmup = Integer.parseInt(opts.getOrDefault("warmup", "5"));
    conversations = Integer.parseInt(opts.getOrDefault("conversations", "10000"));
    heapConversations = Integer.parseInt(opts.getOrDefault("heap-conversations", "100000"));
    jmh = !opts.containsKey("no-jmh");
    profile = opts.containsKey("profile");
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unknown argument " + args[i]);
      String name = args[i].substring(2);
      if (name.startsWith("no-") || name.equals("profile") || name.equals("demo-only") || name.equals("statistics")) opts.put(name, "true");
      else opts.put(name, args[++i]);
    }
    if (opts.containsKey("statistics")) {
      StatisticsBench.run(opts);
    } else if (opts.containsKey("demo-only")) {
      new LoadBench(opts).demoReady();
    } else {
      new LoadBench(opts).run();
    }
    System.exit(0);
  }

  // ---- one turn ---------------------------------------------------------------------------------

  /** A caller part-way through a conversation: which script, where in it, and (voice) the next URL. */
  final class Caller {
    final boolean voice;
    final long id = ids.incrementAndGet();
    final String phone = "+8801" + String.format("%09d", id % 1_000_000_000L);
    final String sid = String.format("%032x", id);
    int step;
    String next = PUBLIC_URL + "/twilio/voice";

    Caller(boolean voice) {
      this.voice = voice;
    }

    boolean done() {
      return step >= (voice ? VOICE_SCRIPT.size() : SMS_SCRIPT.size());
    }

    /** The kind of the next turn, for the histograms. */
    String kind() {
      if (!voice) return step == 0 ? "sms first message" : step == SMS_SCRIPT.size() - 1 ? "sms report filed" : "sms answer";
      String s = VOICE_SCRIPT.get(step);
      return switch (s) {
        case "dial" -> "voice call answered";
        case "record" -> "voice recording";
        case "status" -> "voice call ended";
        default -> step == VOICE_SCRIPT.size() - 2 ? "voice report filed" : "voice key";
      };
    }

    /** Sends the next turn and checks the answer; false when it was not a real answer (an error or the fallback). */
    boolean turn() throws Exception {
      Map<String, String> f = new LinkedHashMap<>();
      String url;
      if (!voice) {
        url = PUBLIC_URL + "/twilio/sms";
        f.put("From", phone);
        f.put("To", HOTLINE);
        f.put("Body", SMS_SCRIPT.get(step));
        f.put("MessageSid", "SM" + sid.substring(2) + String.format("%02d", step));
      } else {
        String s = VOICE_SCRIPT.get(step);
        url = s.equals("status") ? PUBLIC_URL + "/twilio/voice/status" : next;
        f.put("CallSid", "CA" + sid);
        f.put("From", phone);
        f.put("To", HOTLINE);
        f.put("CallStatus", s.equals("status") ? "completed" : "in-progress");
        if (s.equals("record")) {
          f.put("RecordingUrl", RECORDING + sid);
          f.put("RecordingDuration", "12");
          f.put("Digits", "#");
        } else if (!s.equals("dial") && !s.equals("status")) {
          f.put("Digits", s);
        }
      }
      String body = post(sathiPort, url, f);
      step++;
      if (body == null) return false;
      if (!voice) return body.contains("<Message>") && !body.contains(SMS_FALLBACK);
      if (VOICE_SCRIPT.get(step - 1).equals("status")) return true;
      if (body.contains(VOICE_FALLBACK)) return false;
      Matcher m = ACTION.matcher(body);
      if (m.find()) next = m.group(1).replace("&amp;", "&");
      return true;
    }
  }

  String post(int port, String url, Map<String, String> fields) throws Exception {
    String form = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url.substring(PUBLIC_URL.length())))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signature.sign(url, fields))
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? r.body() : null;
  }

  /** One baseline turn: the same two Redis round trips a Sathi turn makes, and nothing else. */
  boolean baselineTurn(long caller) throws Exception {
    return post(baselinePort, PUBLIC_URL + "/turn?k=" + caller, Map.of("Body", "x")) != null;
  }

  // ---- load shapes -----------------------------------------------------------------------------

  /** Latencies by kind of turn, in microseconds. */
  static final class Latencies {
    final Map<String, Histogram> byKind = new java.util.concurrent.ConcurrentSkipListMap<>();
    final Histogram all = new ConcurrentHistogram(60_000_000L, 3);

    void record(String kind, long micros) {
      byKind.computeIfAbsent(kind, k -> new ConcurrentHistogram(60_000_000L, 3)).recordValue(Math.max(1, micros));
      all.recordValue(Math.max(1, micros));
    }
  }

  record Result(double turnsPerSecond, Latencies latencies, long errors) {}

  interface Turn {
    /** Runs one turn; returns its kind, or null when it failed. */
    String run(Object state) throws Exception;
  }

  /** As many turns as {@code concurrency} callers can make, each waiting for its answer: the most the server can take. */
  Result closedLoop(boolean baseline, int warmupSeconds, int measureSeconds) throws Exception {
    Latencies lat = new Latencies();
    AtomicLong turns = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(measureSeconds);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < concurrency; c++) {
        final boolean voiceFirst = c % 2 == 1;
        pool.submit(() -> {
          Caller caller = baseline ? null : new Caller(voiceFirst);
          long baselineCaller = ids.incrementAndGet();
          int baselineStep = 0;
          while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            String kind;
            boolean ok;
            if (baseline) {
              kind = "baseline turn";
              ok = baselineTurn(baselineCaller);
              if (++baselineStep == 10) {
                baselineCaller = ids.incrementAndGet();
                baselineStep = 0;
              }
            } else {
              if (caller.done()) caller = new Caller(!caller.voice);
              kind = caller.kind();
              ok = caller.turn();
            }
            long t1 = System.nanoTime();
            if (t0 >= measureFrom && t1 <= end) {
              turns.incrementAndGet();
              lat.record(kind, (t1 - t0) / 1000);
              if (!ok) failed.incrementAndGet();
            }
          }
          return null;
        });
      }
    }
    return new Result(turns.get() / (double) measureSeconds, lat, failed.get());
  }

  /**
   * Turns started at a fixed rate, whatever the server does, each timed from when it was due (so a
   * stall shows in the percentiles instead of slowing the load down).
   */
  Result openLoop(boolean baseline, double rate, int warmupSeconds, int measureSeconds) throws Exception {
    Latencies lat = new Latencies();
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ConcurrentLinkedQueue<Caller> idle = new ConcurrentLinkedQueue<>();
    long interval = (long) (1e9 / rate);
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(measureSeconds);
    boolean[] voice = {false};
    // Callers part-way through their conversations, SMS and voice alike; one that finishes is
    // replaced at once, so new conversations start all along rather than only when every caller is busy.
    for (int i = 0; i < OPEN_LOOP_CALLERS; i++) idle.add(new Caller(i % 2 == 1));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (long i = 0; ; i++) {
        long due = start + i * interval;
        if (due >= end) break;
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
        pool.submit(() -> {
          try {
            String kind;
            boolean ok;
            if (baseline) {
              kind = "baseline turn";
              ok = baselineTurn(ids.incrementAndGet() % 100_000);
            } else {
              Caller c = idle.poll();
              if (c == null) {
                synchronized (voice) {
                  voice[0] = !voice[0];
                  c = new Caller(voice[0]);
                }
              }
              kind = c.kind();
              ok = c.turn();
              idle.add(c.done() ? new Caller(c.voice) : c);
            }
            long t1 = System.nanoTime();
            if (due >= measureFrom) {
              done.incrementAndGet();
              lat.record(kind, (t1 - due) / 1000);
              if (!ok) failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
          return null;
        });
      }
    }
    return new Result(done.get() / (double) measureSeconds, lat, failed.get());
  }

  static final String SMPP_PASSWORD = "bench-pw";
  org.sathi.channel.smpp.SimulatedSmsc smsc;

  /**
   * SMS turns over SMPP: {@code rate} 0 is a closed loop of {@code concurrency} phones, each waiting
   * for its reply; otherwise turns start at {@code rate} a second, each timed from when it was due.
   */
  Result smppLoop(double rate, int warmupSeconds, int measureSeconds) throws Exception {
    Turn turn = state -> {
      long[] c = (long[]) state;
      String phone = "+8801" + String.format("%09d", c[0] % 1_000_000_000L);
      String kind = c[1] == 0 ? "smpp first message" : c[1] == SMS_SCRIPT.size() - 1 ? "smpp report filed" : "smpp answer";
      List<String> replies = smsc.text(phone, "10921", SMS_SCRIPT.get((int) c[1]), Duration.ofSeconds(15));
      if (++c[1] == SMS_SCRIPT.size()) {
        c[0] = ids.incrementAndGet();
        c[1] = 0;
      }
      return replies.isEmpty() || replies.get(0).contains(SMS_FALLBACK) ? null : kind;
    };
    return loop("smpp failed", () -> new long[] {ids.incrementAndGet(), 0}, turn, rate, warmupSeconds, measureSeconds);
  }

  /** The Bengali report by USSD: the dial, then the same answers as the SMS script; a screen that pages is read with 98. */
  static final List<String> USSD_SCRIPT = SMS_SCRIPT.subList(1, SMS_SCRIPT.size());
  static final String USSD_CODE = "*16430#";
  static final String USSD_KEY = "bench-ussd-key-0123456789";
  org.sathi.simulator.UssdPlayer ussd;

  /** A phone in a USSD session: its number, and how far into the script it is (-1: not dialled yet). */
  static final class UssdCaller {
    String phone;
    int step = -1;
    boolean more;
  }

  /** USSD steps, as {@link #smppLoop}: each POST of the gateway until Sathi's CON or END screen. */
  Result ussdLoop(double rate, int warmupSeconds, int measureSeconds) throws Exception {
    Turn turn = state -> {
      UssdCaller c = (UssdCaller) state;
      if (c.phone == null) c.phone = "+8801" + String.format("%09d", ids.incrementAndGet() % 1_000_000_000L);
      org.sathi.simulator.UssdPlayer.Screen screen;
      String kind;
      if (c.more) {
        kind = "ussd next screen (98)";
        screen = ussd.type(c.phone, "98");
      } else if (c.step < 0) {
        kind = "ussd dial";
        screen = ussd.dial(c.phone);
        c.step = 0;
      } else {
        kind = c.step == USSD_SCRIPT.size() - 1 ? "ussd report filed" : "ussd answer";
        screen = ussd.type(c.phone, USSD_SCRIPT.get(c.step++));
      }
      c.more = screen.hasMore();
      if (!c.more && (screen.ended() || c.step == USSD_SCRIPT.size())) {
        c.phone = null;
        c.step = -1;
      }
      return screen.status() != 200 || screen.text().contains(SMS_FALLBACK) ? null : kind;
    };
    return loop("ussd failed", UssdCaller::new, turn, rate, warmupSeconds, measureSeconds);
  }

  /** Turns of {@code turn}: a closed loop of {@code concurrency} callers when {@code rate} is 0, else started at {@code rate} a second. */
  Result loop(String failedKind, java.util.function.Supplier<Object> newCaller, Turn turn, double rate, int warmupSeconds, int measureSeconds)
      throws Exception {
    Latencies lat = new Latencies();
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(measureSeconds);
    ConcurrentLinkedQueue<Object> idle = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < (rate == 0 ? concurrency : OPEN_LOOP_CALLERS); i++) idle.add(newCaller.get());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      if (rate == 0) {
        for (Object caller : idle) {
          pool.submit(() -> {
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              String kind = runQuietly(turn, caller);
              long t1 = System.nanoTime();
              if (t0 >= measureFrom && t1 <= end) {
                done.incrementAndGet();
                lat.record(kind == null ? failedKind : kind, (t1 - t0) / 1000);
                if (kind == null) failed.incrementAndGet();
              }
            }
            return null;
          });
        }
      } else {
        long interval = (long) (1e9 / rate);
        for (long i = 0; ; i++) {
          long due = start + i * interval;
          if (due >= end) break;
          long wait = due - System.nanoTime();
          if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
          pool.submit(() -> {
            Object c = idle.poll();
            if (c == null) c = newCaller.get();
            String kind = runQuietly(turn, c);
            idle.add(c);
            long t1 = System.nanoTime();
            if (due >= measureFrom) {
              done.incrementAndGet();
              lat.record(kind == null ? failedKind : kind, (t1 - due) / 1000);
              if (kind == null) failed.incrementAndGet();
            }
            return null;
          });
        }
      }
    }
    return new Result(done.get() / (double) measureSeconds, lat, failed.get());
  }

  private static String runQuietly(Turn turn, Object state) {
    try {
      return turn.run(state);
    } catch (Exception e) {
      return null;
    }
  }

  // ---- memory ----------------------------------------------------------------------------------

  /** Callers part-way through a report (they stop at "where is this?"): what an active conversation keeps in Redis. */
  Map<String, Long> redisPerConversation(StatefulRedisConnection<String, String> redis, boolean voice, int count) throws Exception {
    redis.sync().flushall();
    int turnsEach = voice ? 7 : 7;
    try (ExecutorService pool = Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory())) {
      List<java.util.concurrent.Future<?>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(pool.submit(() -> {
          Caller c = new Caller(voice);
          for (int t = 0; t < turnsEach; t++) if (!c.turn()) errors.incrementAndGet();
          return null;
        }));
      }
      for (var f : all) f.get();
    }
    Map<String, Long> bytes = new TreeMap<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      var page = redis.sync().scan(cursor, ScanArgs.Builder.matches("sathi:{*").limit(1000));
      for (String key : page.getKeys()) {
        Long b = redis.sync().memoryUsage(key);
        bytes.merge(key.substring(key.lastIndexOf(':') + 1), b == null ? 0 : b, Long::sum);
      }
      cursor = page;
    } while (!cursor.isFinished());
    Map<String, Long> per = new TreeMap<>();
    bytes.forEach((k, v) -> per.put(k, v / count));
    per.put("total", bytes.values().stream().mapToLong(Long::longValue).sum() / count);
    return per;
  }

  /** Sathi's heap in use after a full GC, read from its /metrics (jvm_memory_used_bytes, area heap). */
  long heapAfterGc(Process sathi) throws Exception {
    Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    new ProcessBuilder(jcmd.toString(), String.valueOf(sathi.pid()), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    return (long) sum(sathiMetrics(), "jvm_memory_used_bytes{", "area=\"heap\"");
  }

  String sathiMetrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sathiPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The sum of a Prometheus metric's series whose line starts with {@code prefix} and contains {@code having}. */
  static double sum(String metrics, String prefix, String having) {
    double total = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(prefix) && line.contains(having)) total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return total;
  }

  /** Conversations of one message each, as many callers texting once. */
  void manyConversations(int count) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(concurrency, Thread.ofVirtual().factory())) {
      List<java.util.concurrent.Future<?>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(pool.submit(() -> {
          if (!new Caller(false).turn()) errors.incrementAndGet();
          return null;
        }));
      }
      for (var f : all) f.get();
    }
  }

  // ---- processes -------------------------------------------------------------------------------

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  Process startBaseline(Path dir, String redisUrl) throws Exception {
    baselinePort = freePort();
    Process p = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), Baseline.class.getName(),
        String.valueOf(baselinePort), redisUrl).redirectErrorStream(true).redirectOutput(dir.resolve("baseline.log").toFile()).start();
    waitFor(p, baselinePort, "/", 404);
    return p;
  }

  /** Starts {@code sathi serve} from the built jar; returns the process and how long it took to be ready. */
  Process startSathi(Path dir, String redisUrl, long[] readyMillis) throws Exception {
    sathiPort = freePort();
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m"));
    if (profile) command.add("-XX:StartFlightRecording=filename=" + dir.resolve("sathi.jfr") + ",settings=profile,dumponexit=true");
    command.addAll(List.of("-jar", "target/sathi.jar", "serve"));
    if (smsc != null) {
      // The same hotline, with an SMPP channel bound to the bench's own SMSC beside Twilio's: the SMPP path is measured too.
      Path config = dir.resolve("sathi-bench.yaml");
      Files.writeString(config, Files.readString(Path.of("config/sathi.yaml")) + String.join("\n", "", "channels:",
          "  - name: sms", "    type: twilio", "  - name: bench-smpp", "    type: smpp", "    host: 127.0.0.1", "    port: " + smsc.port(), "    systemId: sathi",
          "    passwordEnv: SMPP_BENCH_PASSWORD", "    sourceAddress: \"10921\"", "    throughput: 1000", "    window: 50",
          "    countries: [\"880\"]", "  - name: bench-ussd", "    type: ussd", "    serviceCode: \"" + USSD_CODE + "\"",
          "    secretEnv: USSD_BENCH_KEY", "    countries: [\"880\"]", ""));
      command.addAll(List.of("--config", config.toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("SMPP_BENCH_PASSWORD", SMPP_PASSWORD);
    env.put("USSD_BENCH_KEY", USSD_KEY);
    env.put("SATHI_PORT", String.valueOf(sathiPort));
    env.put("SATHI_PUBLIC_URL", PUBLIC_URL);
    env.put("REDIS_URL", redisUrl);
    env.put("SATHI_SECRET", "bench-secret-0123456789abcdef");
    env.put("TWILIO_ACCOUNT_SID", "AC" + "0".repeat(32));
    env.put("TWILIO_AUTH_TOKEN", TOKEN);
    env.put("TWILIO_FROM", HOTLINE);
    env.put("TWILIO_API_BASE", "http://127.0.0.1:9");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("sathi.log").toFile());
    long t0 = System.nanoTime();
    Process p = pb.start();
    waitFor(p, sathiPort, "/health/ready", 200);
    readyMillis[0] = (System.nanoTime() - t0) / 1_000_000;
    return p;
  }

  /**
   * How long {@code ./sathi demo} takes, from the JVM's start until the phone simulator, the console
   * and the webhooks answer (the issue's target: under 5 s after the build). Three runs.
   */
  void demoReady() throws Exception {
    Path dir = Files.createTempDirectory("sathi-bench-demo-");
    for (int run = 1; run <= 3; run++) {
      int port = freePort();
      ProcessBuilder pb = new ProcessBuilder(java(), "-jar", "target/sathi.jar", "demo");
      pb.environment().put("SATHI_PORT", String.valueOf(port));
      pb.redirectErrorStream(true).redirectOutput(dir.resolve("demo-" + run + ".log").toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      try {
        waitFor(p, port, "/health/ready", 200);
        waitFor(p, port, "/simulator/", 200);
        waitFor(p, port, "/console/", 200);
        System.out.printf("sathi demo ready (simulator, console and webhooks answering) %d ms after start, run %d%n",
            (System.nanoTime() - t0) / 1_000_000, run);
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  void waitFor(Process p, int port, String path, int status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IllegalStateException("a process of the bench exited; see its log");
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == status) return;
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("not ready on port " + port);
  }

  // ---- the run ---------------------------------------------------------------------------------

  /** One phase of load at a rate: 0 is a closed loop, as fast as it goes. */
  interface RateLoop {
    Result run(double rate) throws Exception;
  }

  /** A path as fast as it goes, then at half that rate; each reported. */
  Result[] maxAndHalf(String path, String how, String unit, RateLoop loop, StatefulRedisConnection<String, String> check, long[] seen)
      throws Exception {
    Result max = loop.run(0);
    report(path + ", as fast as it goes " + how, max);
    System.out.println(during(check, seen));
    double half = max.turnsPerSecond() / 2;
    Result atHalf = loop.run(half);
    report(String.format("%s at half its maximum, %.0f %s/s offered", path, half, unit), atHalf);
    System.out.println(during(check, seen));
    return new Result[] {max, atHalf};
  }

  void run() throws Exception {
    Path dir = Files.createTempDirectory("sathi-bench-");
    System.out.printf("Sathi bench: %d callers at a time, %d s warm-up and %d s measured per phase; logs in %s%n", concurrency, warmup, seconds, dir);
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu() + "; Java " + Runtime.version()
        + "; " + redisVersion() + " (AOF, appendfsync always); driver, Sathi, baseline and Redis on the same machine");
    try (RedisServerProcess redis = RedisServerProcess.start(); StatefulRedisConnection<String, String> check = redis.connect()) {
      long[] ready = new long[1];
      smsc = new org.sathi.channel.smpp.SimulatedSmsc(0, "sathi", SMPP_PASSWORD);
      smsc.receipts(false);
      Process baseline = startBaseline(dir, redis.url());
      Process sathi = startSathi(dir, redis.url(), ready);
      try {
        System.out.println("\nsathi serve ready " + ready[0] + " ms after start (-Xmx256m)");
        long[] seen = new long[3];
        during(check, seen);
        Result bMax = closedLoop(true, warmup, seconds);
        report("baseline, as fast as it goes", bMax);
        System.out.println(during(check, seen));
        check.sync().flushall();
        Result sMax = closedLoop(false, warmup, seconds);
        report("sathi, as fast as it goes", sMax);
        System.out.println(during(check, seen));
        System.out.printf("%nthroughput sathi / baseline: %.2f (%.0f / %.0f turns/s)%n", sMax.turnsPerSecond() / bMax.turnsPerSecond(),
            sMax.turnsPerSecond(), bMax.turnsPerSecond());
        double half = sMax.turnsPerSecond() / 2;
        Result sHalf = openLoop(false, half, warmup, seconds);
        report(String.format("sathi at half its maximum, %.0f turns/s offered", half), sHalf);
        System.out.println(during(check, seen));
        Result bHalf = openLoop(true, half, warmup, seconds);
        report(String.format("baseline at the same %.0f turns/s", half), bHalf);
        System.out.println(during(check, seen));

        // The SMPP path: the same conversations as deliver_sm from the bench's SMSC, each timed until Sathi's submit_sm reached the phone.
        org.sathi.testing.SmppPhone.awaitBind(smsc, Duration.ofSeconds(30));
        check.sync().flushall();
        Result[] smpp = maxAndHalf("sathi over SMPP", "(deliver_sm until the reply's submit_sm)", "turns", r -> smppLoop(r, warmup, seconds), check, seen);
        Result pMax = smpp[0];
        Result pHalf = smpp[1];
        System.out.printf("%nSMPP path beside the webhook path: %.0f vs %.0f turns/s at most; p99 at half load %.2f vs %.2f ms%n",
            pMax.turnsPerSecond(), sMax.turnsPerSecond(), pHalf.latencies().all.getValueAtPercentile(99) / 1000.0,
            sHalf.latencies().all.getValueAtPercentile(99) / 1000.0);

        // USSD: the gateway's POST for each step of a session, until Sathi's CON or END screen. Gateways drop a session
        // that waits 5 to 10 s; the target is 1 s at p99.
        check.sync().flushall();
        ussd = new org.sathi.simulator.UssdPlayer(() -> "http://127.0.0.1:" + sathiPort, "bench-ussd", USSD_KEY, USSD_CODE);
        Result[] steps = maxAndHalf("sathi over USSD", "(each step until its screen)", "steps", r -> ussdLoop(r, warmup, seconds), check, seen);
        Result uMax = steps[0];
        Result uHalf = steps[1];
        System.out.printf("%nUSSD step p99: %.2f ms at half load (%.0f steps/s), %.2f ms at its maximum (%.0f steps/s); target 1000 ms%n",
            uHalf.latencies().all.getValueAtPercentile(99) / 1000.0, uHalf.turnsPerSecond(),
            uMax.latencies().all.getValueAtPercentile(99) / 1000.0, uMax.turnsPerSecond());

        Map<String, Long> sms = redisPerConversation(check, false, conversations);
        System.out.printf("%nRedis per active SMS conversation (MEMORY USAGE over %,d, each 7 turns into a report): %,d bytes %s%n",
            conversations, sms.get("total"), sms);
        long heapActive = heapAfterGc(sathi);
        Map<String, Long> voice = redisPerConversation(check, true, conversations);
        System.out.printf("Redis per active voice conversation (%,d calls, 7 steps in): %,d bytes %s%n", conversations, voice.get("total"), voice);
        System.out.printf("sathi heap after GC with %,d conversations in Redis: %.1f MB (of -Xmx256m)%n", conversations, heapActive / 1048576.0);
        check.sync().flushall();
        long t0 = System.nanoTime();
        manyConversations(heapConversations);
        System.out.printf("sathi heap after GC after %,d more conversations (%.0f s): %.1f MB%n", heapConversations,
            (System.nanoTime() - t0) / 1e9, heapAfterGc(sathi) / 1048576.0);
        System.out.println("turns that failed or got the fallback outside the measured phases: " + errors.get());
      } finally {
        sathi.destroy();
        if (smsc != null) smsc.close();
        baseline.destroy();
        sathi.waitFor(20, TimeUnit.SECONDS);
        baseline.waitFor(20, TimeUnit.SECONDS);
      }
    }
    if (profile) {
      Path jfr = Path.of(java()).resolveSibling("jfr");
      Process view = new ProcessBuilder(jfr.toString(), "view", "--width", "180", "hot-methods", dir.resolve("sathi.jfr").toString())
          .redirectErrorStream(true).start();
      System.out.println("\nWhere Sathi spent its CPU (Java Flight Recorder, the whole run):");
      System.out.println(new String(view.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    if (jmh) micro();
  }

  void micro() throws Exception {
    System.out.println("\nJMH micro-benchmarks (1 fork, 3 x 1 s warm-up, 5 x 1 s measured):");
    var options = new OptionsBuilder().include(TurnBenchmarks.class.getName()).jvmArgs("-Xmx256m").shouldFailOnError(true).build();
    for (RunResult r : new Runner(options, new org.openjdk.jmh.runner.format.OutputFormat() {
      // Quiet: only the summary below is printed.
      public void iteration(org.openjdk.jmh.infra.BenchmarkParams b, org.openjdk.jmh.infra.IterationParams p, int i) {}
      public void iterationResult(org.openjdk.jmh.infra.BenchmarkParams b, org.openjdk.jmh.infra.IterationParams p, int i,
          org.openjdk.jmh.results.IterationResult r) {}
      public void startBenchmark(org.openjdk.jmh.infra.BenchmarkParams b) {}
      public void endBenchmark(org.openjdk.jmh.results.BenchmarkResult r) {}
      public void startRun() {}
      public void endRun(java.util.Collection<RunResult> r) {}
      public void print(String s) {}
      public void println(String s) {}
      public void flush() {}
      public void close() {}
      public void verbosePrintln(String s) {}
      public void write(int b) {}
      public void write(byte[] b) {}
    }).run()) {
      var s = r.getPrimaryResult();
      System.out.printf("  %-24s %8.3f ± %.3f µs/op%n", r.getParams().getBenchmark().replaceAll(".*\\.", ""), s.getScore(), s.getScoreError());
    }
  }

  /** What else happened during a phase that shows in the tail: Redis rewriting its AOF, Sathi's GC pauses. */
  String during(StatefulRedisConnection<String, String> redis, long[] before) throws Exception {
    long rewrites = infoField(redis.sync().info("persistence"), "aof_rewrites");
    double[] gc = gcPauses();
    String out = String.format("  during it: %d AOF rewrite(s) in Redis; %d GC pause(s) in Sathi, %.0f ms in all",
        rewrites - before[0], (long) gc[0] - before[1], gc[1] * 1000 - before[2]);
    before[0] = rewrites;
    before[1] = (long) gc[0];
    before[2] = (long) (gc[1] * 1000);
    return out;
  }

  static long infoField(String info, String field) {
    for (String line : info.split("\r?\n")) if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1).strip());
    return 0;
  }

  /** Count and total seconds of Sathi's GC pauses so far, from jvm_gc_pause_seconds on /metrics. */
  double[] gcPauses() throws Exception {
    String metrics = sathiMetrics();
    return new double[] {sum(metrics, "jvm_gc_pause_seconds_count{", ""), sum(metrics, "jvm_gc_pause_seconds_sum{", "")};
  }

  static void report(String title, Result r) {
    System.out.printf("%n%s: %.0f turns/s measured, %d failed%n", title, r.turnsPerSecond(), r.errors());
    System.out.printf("  %-22s %9s %9s %9s %9s%n", "kind of turn", "turns", "p50 ms", "p99 ms", "p99.9 ms");
    r.latencies().byKind.forEach((k, h) -> line(k, h));
    line("all", r.latencies().all);
  }

  static void line(String kind, Histogram h) {
    System.out.printf("  %-22s %9d %9.2f %9.2f %9.2f%n", kind, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0);
  }

  static String cpu() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static String redisVersion() {
    try {
      Process p = new ProcessBuilder(System.getProperty("sathi.redis.server", "redis-server"), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      Matcher m = Pattern.compile("v=(\\S+)").matcher(out);
      return "redis-server " + (m.find() ? m.group(1) : out);
    } catch (IOException e) {
      return "redis-server";
    }
  }
}
