package org.sathi.server;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.sathi.channel.ChannelStore;
import org.sathi.channel.RedisChannelStore;
import org.sathi.duty.MemoryDutyInbox;
import org.sathi.duty.RedisDutyInbox;
import org.sathi.session.MemorySessionStore;
import org.sathi.session.RedisSessionStore;
import java.util.function.Function;
import org.sathi.console.CannedReplies;
import org.sathi.console.ConsoleEvents;
import org.sathi.console.ConsoleStores;
import org.sathi.console.Referrals;
import org.sathi.duty.DutyInbox;
import org.sathi.duty.Pager;
import org.sathi.duty.Roster;
import org.sathi.duty.Triager;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportStore;
import org.sathi.session.Durability;
import org.sathi.session.SessionStore;
import org.sathi.channel.SmsSender;

/**
 * What the server works with, chosen by the caller: Redis-backed in {@code serve}, in memory in
 * {@code demo}, and whatever a test needs.
 */
public record Backends(
    SessionStore sessions,
    ReportStore reports,
    DutyInbox inbox,
    Pager pager,
    Roster roster,
    Triager triager,
    Function<ReportAnswers, Map<String, Object>> crosswalk,
    Durability durability,
    ConsoleStores console,
    ConsoleEvents events,
    SmsSender sms,
    Referrals referrals,
    ChannelStore channelStore,
    Function<String, DutyInbox> outboxes,
    CannedReplies replies) {

  /**
   * What the operator channels keep, on the same store as the conversations: in memory beside a
   * memory session store, on the same Redis beside a Redis one.
   */
  public Backends(SessionStore sessions, ReportStore reports, DutyInbox inbox, Pager pager, Roster roster, Triager triager,
      Function<ReportAnswers, Map<String, Object>> crosswalk, Durability durability, ConsoleStores console, ConsoleEvents events,
      SmsSender sms, Referrals referrals) {
    this(sessions, reports, inbox, pager, roster, triager, crosswalk, durability, console, events, sms, referrals, CannedReplies.none());
  }

  /** With the prepared replies officers can send (config/replies.yaml). */
  public Backends(SessionStore sessions, ReportStore reports, DutyInbox inbox, Pager pager, Roster roster, Triager triager,
      Function<ReportAnswers, Map<String, Object>> crosswalk, Durability durability, ConsoleStores console, ConsoleEvents events,
      SmsSender sms, Referrals referrals, CannedReplies replies) {
    this(sessions, reports, inbox, pager, roster, triager, crosswalk, durability, console, events, sms, referrals,
        sessions instanceof RedisSessionStore r ? new RedisChannelStore(r.connection()) : ChannelStore.memory(Clock.systemUTC()),
        sessions instanceof RedisSessionStore r ? name -> RedisDutyInbox.outbox(r.connection(), name)
            : sessions instanceof MemorySessionStore m ? name -> new MemoryDutyInbox(() -> m.outbox(name), Clock.systemUTC())
            : name -> new MemoryDutyInbox(List::of, Clock.systemUTC()),
        replies);
  }

  /** Without live console events across instances, outbound SMS or referrals: one process, nothing sent. */
  public Backends(SessionStore sessions, ReportStore reports, DutyInbox inbox, Pager pager, Roster roster, Triager triager,
      Function<ReportAnswers, Map<String, Object>> crosswalk, Durability durability, ConsoleStores console) {
    this(sessions, reports, inbox, pager, roster, triager, crosswalk, durability, console, ConsoleEvents.memory(), SmsSender.none(),
        Referrals.none());
  }
}
