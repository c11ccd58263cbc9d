package org.sathi.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.flow.Conversation;
import org.sathi.privacy.Sealer;
import org.sathi.session.SessionStore.Status;

/** What every SessionStore promises; run against the in-memory store and against Redis. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class SessionStoreContract {

  static final SessionTimes SHORT = new SessionTimes(Duration.ofMillis(600), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
  static final Sealer SEALER = new Sealer("contract-secret-0123456789");
  static final ConversationCodec CODEC = new ConversationCodec(SEALER);

  /** A store with {@link #SHORT} times and nothing in it. */
  abstract SessionStore store();

  /** Lets time pass for the store's expiry. */
  abstract void elapse(Duration d) throws Exception;

  /** Events the store has kept, oldest first. */
  abstract List<String> storedEvents();

  /** Every key and value the store holds, as text. */
  abstract String everythingKept();

  /** Now, by the store's clock. */
  abstract Instant now();

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the store did not answer within 10 s", e);
    }
  }

  static Conversation at(String node, String language) {
    return new Conversation(language, node, 0, 0, 0, List.of("main.menu"), Map.of("place", "Khulna bus stand"), false);
  }

  SessionStore.Commit commit(String key, String sid, long version, Conversation next, String reply, List<String> events) {
    return new SessionStore.Commit(key, sid, version, next, reply, events, null, now().plusSeconds(5));
  }

  @Test
  void unknownCallerHasNothing() {
    SessionStore.Loaded l = await(store().load("k-unknown", "SM1"));
    assertThat(l.previousReply()).isNull();
    assertThat(l.conversation()).isNull();
    assertThat(l.version()).isZero();
    assertThat(l.returningLanguage()).isNull();
  }

  @Test
  void committedConversationComesBackWithTheNextVersion() {
    SessionStore s = store();
    Conversation c = at("report.what", "bn");
    SessionStore.Committed done = await(s.commit(commit("k1", "SM1", 0, c, "reply one", List.of())));
    assertThat(done).isEqualTo(new SessionStore.Committed(Status.SAVED, "reply one"));
    SessionStore.Loaded l = await(s.load("k1", "SM2"));
    assertThat(l.previousReply()).isNull();
    assertThat(l.conversation()).isEqualTo(c);
    assertThat(l.version()).isEqualTo(1);
    assertThat(l.returningLanguage()).isEqualTo("bn");
  }

  @Test
  void aChannelsSurfaceComesBackWithTheConversationUntilATurnLeavesNone() {
    SessionStore s = store();
    Conversation c = at("report.what", "bn");
    var withSurface = new SessionStore.Commit("kS", "S1", 0, c, "CON screen", List.of(), null, now().plusSeconds(5), null, List.of(), null,
        "sealed-screens-1");
    assertThat(await(s.commit(withSurface)).status()).isEqualTo(Status.SAVED);
    SessionStore.Loaded l = await(s.load("kS", "S2"));
    assertThat(l.surface()).isEqualTo("sealed-screens-1");
    assertThat(l.conversation()).isEqualTo(c);
    // A turn that remembers nothing (an SMS on the same key, say) clears it: no stale screens.
    assertThat(await(s.commit(commit("kS", "S2", 1, c, "reply", List.of()))).status()).isEqualTo(Status.SAVED);
    assertThat(await(s.load("kS", "S3")).surface()).isNull();
    // Wiped with the conversation.
    var again = new SessionStore.Commit("kS", "S3", 2, c, "CON screen", List.of(), null, now().plusSeconds(5), null, List.of(), null, "sealed-2");
    await(s.commit(again));
    await(s.commit(commit("kS", "S4", 3, null, "OK.", List.of())));
    assertThat(await(s.load("kS", "S5")).surface()).isNull();
    assertThat(await(s.load("kS", "S5")).conversation()).isNull();
  }

  @Test
  void conversationsAreSealedAtRest() {
    SessionStore s = store();
    await(s.commit(commit("k-sealed", "SM1", 0, at("report.details", "en"), "reply", List.of())));
    assertThat(everythingKept()).doesNotContain("Khulna").doesNotContain("report.details");
  }

  @Test
  void aRetriedWebhookGetsTheFirstReplyAndChangesNothing() {
    SessionStore s = store();
    await(s.commit(commit("k2", "SM1", 0, at("report.what", "en"), "first", List.of("{\"type\":\"report\",\"n\":1}"))));
    assertThat(await(s.load("k2", "SM1")).previousReply()).isEqualTo("first");
    SessionStore.Committed again = await(s.commit(commit("k2", "SM1", 1, at("report.age", "en"), "second", List.of("{\"type\":\"report\",\"n\":2}"))));
    assertThat(again).isEqualTo(new SessionStore.Committed(Status.DUPLICATE, "first"));
    assertThat(await(s.load("k2", "SM9")).conversation().node()).isEqualTo("report.what");
    assertThat(storedEvents()).containsExactly("{\"type\":\"report\",\"n\":1}");
  }

  @Test
  void aTurnComputedFromAnOldVersionIsRefusedAndChangesNothing() {
    SessionStore s = store();
    await(s.commit(commit("k5", "SM1", 0, at("report.contact", "en"), "q", List.of())));
    // Two messages loaded version 1; the first to commit wins, the second must be run again.
    assertThat(await(s.commit(commit("k5", "SM2", 1, at("report.done", "en"), "code A", List.of("{\"n\":\"A\"}")))).status()).isEqualTo(Status.SAVED);
    assertThat(await(s.commit(commit("k5", "SM3", 1, at("report.done", "en"), "code B", List.of("{\"n\":\"B\"}")))).status()).isEqualTo(Status.CONFLICT);
    assertThat(storedEvents()).containsExactly("{\"n\":\"A\"}");
    assertThat(await(s.load("k5", "SM3")).previousReply()).isNull();
    assertThat(await(s.load("k5", "SM3")).version()).isEqualTo(2);
  }

  @Test
  void aReferenceCodeIsGivenOutOnceEver() {
    SessionStore s = store();
    var first = new SessionStore.Commit("kR1", "SM1", 0, at("report.done", "en"), "code ACDE-FGHJ", List.of("{\"n\":1}"), null,
        now().plusSeconds(5), null, List.of("ACDE-FGHJ"));
    assertThat(await(s.commit(first)).status()).isEqualTo(Status.SAVED);
    assertThat(await(s.referenceTaken("ACDE-FGHJ"))).isTrue();
    assertThat(await(s.referenceTaken("ACDE-FGHK"))).isFalse();
    var collision = new SessionStore.Commit("kR2", "SM2", 0, at("report.done", "en"), "code ACDE-FGHJ", List.of("{\"n\":2}"), null,
        now().plusSeconds(5), null, List.of("ACDE-FGHJ"));
    assertThat(await(s.commit(collision)).status()).as("another caller's report may not take it").isEqualTo(Status.CONFLICT);
    assertThat(storedEvents()).containsExactly("{\"n\":1}");
    assertThat(await(s.load("kR2", "SM2")).conversation()).isNull();
  }

  @Test
  void aWrongCodeInARetriedWebhookCountsOnce() {
    SessionStore s = store();
    assertThat(await(s.followUpFailed("kF", "SM1"))).isEqualTo(1);
    assertThat(await(s.followUpFailed("kF", "SM1"))).isEqualTo(1);
    assertThat(await(s.followUpFailed("kF", "SM2"))).isEqualTo(2);
    assertThat(await(s.load("kF", "SM3")).followUpFailures()).isEqualTo(2);
    assertThat(await(s.load("kOther", "SM3")).followUpFailures()).isZero();
  }

  @Test
  void aCommitPastItsDeadlineIsRefusedAndChangesNothing() {
    SessionStore s = store();
    var late = new SessionStore.Commit("k6", "SM1", 0, at("report.what", "en"), "reply", List.of("{\"n\":1}"), null, now().minusSeconds(1));
    assertThat(await(s.commit(late)).status()).isEqualTo(Status.LATE);
    assertThat(await(s.load("k6", "SM1")).previousReply()).isNull();
    assertThat(await(s.load("k6", "SM1")).conversation()).isNull();
    assertThat(storedEvents()).isEmpty();
  }

  @Test
  void wipeForgetsTheConversationTheLanguageTheNumberAndEarlierReplies() {
    SessionStore s = store();
    String sealedNumber = SEALER.seal("+8801719283746", "k3");
    await(s.commit(new SessionStore.Commit("k3", "SM1", 0, at("talk.done", "bn"), "a person will text you", List.of(), sealedNumber, now().plusSeconds(5))));
    assertThat(everythingKept()).contains(sealedNumber).doesNotContain("1719283746");
    await(s.commit(commit("k3", "SM2", 1, null, "OK.", List.of())));
    SessionStore.Loaded l = await(s.load("k3", "SM1"));
    assertThat(l.previousReply()).isNull();
    assertThat(l.conversation()).isNull();
    assertThat(l.returningLanguage()).isNull();
    assertThat(everythingKept()).doesNotContain(sealedNumber);
    assertThat(await(s.load("k3", "SM2")).previousReply()).as("a retry of the exit itself").isEqualTo("OK.");
  }

  @Test
  void anExpiredConversationLeavesOnlyTheLanguageForWelcomeBack() throws Exception {
    SessionStore s = store();
    await(s.commit(commit("k4", "SM1", 0, at("main.menu", "bn"), "menu", List.of())));
    elapse(Duration.ofMillis(900));
    SessionStore.Loaded l = await(s.load("k4", "SM2"));
    assertThat(l.conversation()).isNull();
    assertThat(l.version()).isZero();
    assertThat(l.returningLanguage()).isEqualTo("bn");
  }

  @Test
  void callersAreKeptApart() {
    SessionStore s = store();
    await(s.commit(commit("kA", "SM1", 0, at("report.who", "en"), "a", List.of())));
    await(s.commit(commit("kB", "SM1", 0, at("guidance.topics", "bn"), "b", List.of())));
    assertThat(await(s.load("kA", "SM2")).conversation().node()).isEqualTo("report.who");
    assertThat(await(s.load("kB", "SM2")).conversation().node()).isEqualTo("guidance.topics");
    assertThat(await(s.load("kB", "SM1")).previousReply()).isEqualTo("b");
  }

  @Test
  void aConversationSealedForAnotherCallerCannotBeOpened() {
    Conversation c = at("report.what", "en");
    String sealed = CODEC.encode(c, "caller-one");
    assertThat(CODEC.decode(sealed, "caller-one")).isEqualTo(c);
    assertThat(CODEC.decode(sealed, "caller-two")).isNull();
    assertThat(new ConversationCodec(new Sealer("another-secret-0123456789")).decode(sealed, "caller-one")).isNull();
  }
}
