package org.sathi.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sathi.flow.Conversation;

/** What every SessionStore promises; run against the in-memory store and against Redis. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
abstract class SessionStoreContract {

  static final SessionTimes SHORT = new SessionTimes(Duration.ofMillis(600), Duration.ofSeconds(30), Duration.ofSeconds(30));

  /** A store with {@link #SHORT} times and nothing in it. */
  abstract SessionStore store();

  /** Lets time pass for the store's expiry. */
  abstract void elapse(Duration d) throws Exception;

  /** Events the store has kept, oldest first. */
  abstract List<String> storedEvents();

  static <T> T await(io.vertx.core.Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the store did not answer within 10 s", e);
    }
  }

  static Conversation at(String node, String language) {
    return new Conversation(language, node, 0, 0, List.of("main.menu"), Map.of("who", "child"), false);
  }

  @Test
  void unknownCallerHasNothing() {
    SessionStore.Loaded l = await(store().load("k-unknown", "SM1"));
    assertThat(l.previousReply()).isNull();
    assertThat(l.conversation()).isNull();
    assertThat(l.returningLanguage()).isNull();
  }

  @Test
  void committedConversationComesBack() {
    SessionStore s = store();
    Conversation c = at("report.what", "bn");
    assertThat(await(s.commit(new SessionStore.Commit("k1", "SM1", c, "reply one", List.of())))).isEqualTo("reply one");
    SessionStore.Loaded l = await(s.load("k1", "SM2"));
    assertThat(l.previousReply()).isNull();
    assertThat(l.conversation()).isEqualTo(c);
    assertThat(l.returningLanguage()).isEqualTo("bn");
  }

  @Test
  void aRetriedWebhookGetsTheFirstReplyAndChangesNothing() {
    SessionStore s = store();
    await(s.commit(new SessionStore.Commit("k2", "SM1", at("report.what", "en"), "first", List.of("{\"type\":\"report\",\"n\":1}"))));
    assertThat(await(s.load("k2", "SM1")).previousReply()).isEqualTo("first");
    String again = await(s.commit(new SessionStore.Commit("k2", "SM1", at("report.age", "en"), "second", List.of("{\"type\":\"report\",\"n\":2}"))));
    assertThat(again).isEqualTo("first");
    assertThat(await(s.load("k2", "SM9")).conversation().node()).isEqualTo("report.what");
    assertThat(storedEvents()).containsExactly("{\"type\":\"report\",\"n\":1}");
  }

  @Test
  void wipeForgetsTheConversationTheLanguageAndEarlierReplies() {
    SessionStore s = store();
    await(s.commit(new SessionStore.Commit("k3", "SM1", at("report.place", "bn"), "code ABCD-EFGH", List.of())));
    await(s.commit(new SessionStore.Commit("k3", "SM2", null, "OK.", List.of())));
    SessionStore.Loaded l = await(s.load("k3", "SM1"));
    assertThat(l.previousReply()).isNull();
    assertThat(l.conversation()).isNull();
    assertThat(l.returningLanguage()).isNull();
    assertThat(await(s.load("k3", "SM2")).previousReply()).as("a retry of the exit itself").isEqualTo("OK.");
  }

  @Test
  void anExpiredConversationLeavesOnlyTheLanguageForWelcomeBack() throws Exception {
    SessionStore s = store();
    await(s.commit(new SessionStore.Commit("k4", "SM1", at("main.menu", "bn"), "menu", List.of())));
    elapse(Duration.ofMillis(900));
    SessionStore.Loaded l = await(s.load("k4", "SM2"));
    assertThat(l.conversation()).isNull();
    assertThat(l.returningLanguage()).isEqualTo("bn");
  }

  @Test
  void callersAreKeptApart() {
    SessionStore s = store();
    await(s.commit(new SessionStore.Commit("kA", "SM1", at("report.who", "en"), "a", List.of())));
    await(s.commit(new SessionStore.Commit("kB", "SM1", at("guidance.topics", "bn"), "b", List.of())));
    assertThat(await(s.load("kA", "SM2")).conversation().node()).isEqualTo("report.who");
    assertThat(await(s.load("kB", "SM2")).conversation().node()).isEqualTo("guidance.topics");
    assertThat(await(s.load("kB", "SM1")).previousReply()).isEqualTo("b");
  }
}
