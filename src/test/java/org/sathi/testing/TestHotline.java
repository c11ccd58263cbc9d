package org.sathi.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sathi.flow.Engine;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.load.FlowLoader;
import org.sathi.server.Config;
import org.sathi.server.HotlineServer;
import org.sathi.duty.LogPager;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.duty.Pager;
import org.sathi.duty.RedisDutyInbox;
import org.sathi.duty.Roster;
import org.sathi.duty.Triager;
import org.sathi.report.Crosswalk;
import org.sathi.report.MemoryReportStore;
import org.sathi.report.Triage;
import org.sathi.report.RedisReportStore;
import org.sathi.server.Backends;
import org.sathi.session.MemorySessionStore;
import org.sathi.redis.RedisConnection;
import org.sathi.session.SessionStore;

/** The production verticle, deployed for a test on a free port with the shipped flows. */
public final class TestHotline {
  public final Config config;
  public final FlowBundle bundle;
  public final HotlineServer server;
  public final PrometheusMeterRegistry metrics;

  private TestHotline(Config config, FlowBundle bundle, HotlineServer server, PrometheusMeterRegistry metrics) {
    this.config = config;
    this.bundle = bundle;
    this.server = server;
    this.metrics = metrics;
  }

  public static Config config() throws Exception {
    return Config.load(Path.of("config/sathi.yaml"), Map.of())
        .withPort(0)
        .withPublicUrl(TestPhone.PUBLIC_URL)
        .withTwilio("ACtest", TestPhone.AUTH_TOKEN)
        .withSecret("test-secret-0123456789");
  }

  public static FlowBundle shippedFlows(Config config) {
    FlowLoader.Result result = FlowLoader.load(Path.of(config.flows().dir()), config.numbers(), config.sms().maxSegmentsPerReply());
    if (!result.ok()) throw new AssertionError("shipped flows are invalid: " + result.problems());
    return result.bundle();
  }

  /** Reference codes TEST-0001, TEST-0002, ... so transcripts stay the same run after run. */
  public static Engine.References countingReferences() {
    AtomicInteger n = new AtomicInteger();
    return () -> "TEST-%04d".formatted(n.incrementAndGet());
  }

  public static TestHotline deploy(Vertx vertx, Backends backends, PrometheusMeterRegistry metrics, Engine.References references) throws Exception {
    return deploy(vertx, backends, metrics, references, Clock.systemUTC(), config());
  }

  /** With the clock and config chosen by the test (a fixed clock picks a roster shift; a config another flows dir). */
  public static TestHotline deploy(Vertx vertx, Backends backends, PrometheusMeterRegistry metrics, Engine.References references, Clock clock,
      Config config) throws Exception {
    FlowBundle bundle = shippedFlows(config);
    HotlineServer server = new HotlineServer(config, bundle, backends, metrics, clock, references)
        .withCasework(org.sathi.report.Outcomes.shipped(), crosswalk());
    vertx.deployVerticle(server).await(20, TimeUnit.SECONDS);
    return new TestHotline(config, bundle, server, metrics);
  }

  /** The shipped sample roster (config/roster.yaml). */
  public static Roster roster() {
    Roster.Loaded loaded = Roster.load(Path.of("config/roster.yaml"));
    if (!loaded.problems().isEmpty()) throw new AssertionError(loaded.problems().toString());
    return loaded.roster();
  }

  /** The shipped triage rules (config/triage.yaml). */
  public static Triager triager() {
    Triage.Loaded t = Triage.load(Path.of("config/triage.yaml"), java.util.Set.of("en", "bn"));
    if (!t.ok()) throw new AssertionError(t.problems().toString());
    return Triager.rules(t.triage());
  }

  /** The shipped crosswalk (config/crosswalk.yaml). */
  public static Crosswalk crosswalk() throws Exception {
    Crosswalk.Loaded c = Crosswalk.load(Path.of("config/crosswalk.yaml"), org.sathi.server.MainAccess.whatValues(shippedFlows(config())));
    if (!c.ok()) throw new AssertionError(c.problems().toString());
    return c.crosswalk();
  }

  /** Everything in memory, as in the demo. */
  public static Backends memory(MemorySessionStore sessions, Pager pager) throws Exception {
    return new Backends(sessions, new MemoryReportStore(), new MemoryDutyInbox(sessions::events, Clock.systemUTC()), pager, roster(),
        triager(), crosswalk()::map, org.sathi.session.Durability.none(), org.sathi.console.ConsoleStores.memory(Clock.systemUTC()));
  }

  /** Everything on one Redis, as in serve. */
  public static Backends redis(RedisConnection connection, SessionStore sessions, Pager pager) throws Exception {
    return new Backends(sessions, new RedisReportStore(connection), new RedisDutyInbox(connection), pager, roster(),
        triager(), crosswalk()::map, org.sathi.session.Durability.redis(connection, false),
        org.sathi.console.ConsoleStores.redis(connection, Clock.systemUTC()));
  }

  /** The codec the stores use, sealed with the test secret. */
  public static org.sathi.session.ConversationCodec codec() throws Exception {
    return new org.sathi.session.ConversationCodec(new org.sathi.privacy.Sealer(config().secret()));
  }

  public static PrometheusMeterRegistry newMetrics() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** The hotline's number in tests: what Twilio sends as {@code To}, and the caller id officers see. */
  public static final String HOTLINE = "+8809610000000";

  public TestCall call(String from) {
    return new TestCall(server.port(), from, HOTLINE);
  }

  public TestPhone phone(String from) {
    return new TestPhone(server.port(), from);
  }
}
