package org.sathi.server;

import java.util.Map;
import java.util.function.Function;
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
    Referrals referrals) {

  /** Without live console events across instances, outbound SMS or referrals: one process, nothing sent. */
  public Backends(SessionStore sessions, ReportStore reports, DutyInbox inbox, Pager pager, Roster roster, Triager triager,
      Function<ReportAnswers, Map<String, Object>> crosswalk, Durability durability, ConsoleStores console) {
    this(sessions, reports, inbox, pager, roster, triager, crosswalk, durability, console, ConsoleEvents.memory(), SmsSender.none(),
        Referrals.none());
  }
}
