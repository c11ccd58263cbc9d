package org.sathi.console;

import java.time.Instant;

/**
 * One line of the audit log: who did what to which report, and how it went. Never a password, a
 * phone number, a note's text or a reporter's words.
 *
 * @param officer   the officer's account name, or {@code unknown} for a login as an account that does not exist
 * @param action    login, logout, list, view, claim, note, close, acknowledge, csrf
 * @param reference the report's reference, or null when the action is not about one report
 * @param outcome   ok, failed, throttled, denied, not found, conflict, invalid
 */
public record AuditEntry(Instant at, String officer, String action, String reference, String outcome) {}
