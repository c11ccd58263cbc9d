package org.sathi.server;

import java.util.Map;
import java.util.function.Function;
import org.sathi.console.ConsoleStores;
import org.sathi.duty.DutyInbox;
import org.sathi.duty.Pager;
import org.sathi.duty.Roster;
import org.sathi.duty.Triager;
import org.sathi.report.ReportAnswers;
import org.sathi.report.ReportStore;
import org.sathi.session.Durability;
import org.sathi.session.SessionStore;

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
    ConsoleStores console) {}
