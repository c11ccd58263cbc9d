// Sathi duty console: the page's entry point. It logs the officer in, shows the queue and the open
// report, follows the live feed and logs out.
//
// SECURITY: everything the API sends (report text, timeline, notes, names) is untrusted. It is put
// on the page only with textContent, createElement and setAttribute of known-safe attributes (see
// dom.js). Never use innerHTML, outerHTML, insertAdjacentHTML or document.write with data. The
// Content-Security-Policy also forbids inline scripts, inline styles and eval.
import { api, onUnauthorized } from './api.js';
import { $ } from './dom.js';
import { setLanguages } from './words.js';
import { initAlert, raiseAlert, dismissAlert, unlockAudio } from './alert.js';
import { startLive, stopLive } from './live.js';
import { initQueue, renderQueue, clearQueue, tickQueue } from './queue.js';
import { initReport, openReport, loadReport, reportChanged, closeReport, setLabelLanguages, tickReport } from './report.js';
import { loadOutcomes, loadServices } from './actions.js';
import { loadAudit, clearAudit } from './audit.js';
import { initStatistics, openStatistics, clearStatistics } from './statistics.js';

let me = null; // the session: {username, role, languages, defaultLanguage}

function showView(view) {
  for (const id of ['loading', 'login', 'workspace', 'audit', 'stats-page']) $(id).hidden = id !== view;
  for (const id of ['whoami', 'logout']) $(id).hidden = !me;
  $('live').hidden = !seesReports();
  $('audit-open').hidden = me?.role !== 'supervisor';
  $('stats-open').hidden = me?.role !== 'supervisor' && me?.role !== 'analyst';
}

/** An analyst sees statistics only: the page never asks for a report, the queue or the live feed (they would be 403). */
const seesReports = () => me !== null && me.role !== 'analyst';

// ---- logging in and out

function showLogin(message = '') {
  me = null;
  seenP1 = null;
  stopLive();
  dismissAlert();
  clearQueue();
  closeReport();
  clearAudit();
  clearStatistics();
  $('password').value = '';
  showView('login');
  $('login-error').textContent = message;
  $('username').focus();
}

onUnauthorized(() => {
  if (me) showLogin('Your session ended; log in again.');
});

function enter(session) {
  me = session;
  $('whoami').textContent = `${session.username} (${session.role})`;
  setLanguages(session.languages);
  setLabelLanguages(session.languages ?? [], session.defaultLanguage);
  $('login-error').textContent = '';
  if (!seesReports()) {
    showView('stats-page');
    openStatistics();
    return;
  }
  showView('workspace');
  refreshQueue(false);
  loadServices();
  loadOutcomes();
  openFromHash();
  startLive({
    onReport: liveReport,
    onEnded: () => showLogin('Your session ended; log in again.'),
    onResync: () => {
      refreshQueue(true);
      loadReport(true);
    },
    checkSession: () => api('GET', '/api/session', { background: true }),
  });
}

async function login(event) {
  event.preventDefault();
  unlockAudio(); // this click is what lets the alarm make a sound later
  const button = $('login-button');
  button.disabled = true;
  $('login-error').textContent = '';
  try {
    await api('POST', '/api/session', { body: { username: $('username').value, password: $('password').value } });
    enter(await api('GET', '/api/session'));
  } catch (error) {
    $('login-error').textContent = error.message;
    $('password').value = '';
  } finally {
    button.disabled = false;
  }
}

async function logout() {
  try {
    await api('DELETE', '/api/session');
  } catch {
    // logged out or unreachable: the login form is shown either way
  }
  showLogin('');
}

// ---- the queue and the live feed

/** Which list the queue panel shows: the open queue (the default), closed and referred reports, or all. */
let listStatus = 'open';
const LIST_TITLES = { open: 'Open reports', closed: 'Closed and referred reports', all: 'All reports' };

let queueLoading = false;
let queueAgain = null; // null, or whether the pending reload is a background one

async function refreshQueue(background) {
  if (queueLoading) {
    queueAgain = (queueAgain ?? true) && background;
    return;
  }
  queueLoading = true;
  try {
    const status = listStatus;
    const { reports = [] } = await api('GET', `/api/reports?status=${status}`, { background });
    if (me && status === listStatus) {
      if (status === 'open') alarmForUnseenP1(reports);
      renderQueue(reports);
    }
    $('queue-error').textContent = '';
  } catch (error) {
    if (error.status !== 401) $('queue-error').textContent = error.message;
  } finally {
    queueLoading = false;
    if (queueAgain !== null && me) {
      const again = queueAgain;
      queueAgain = null;
      refreshQueue(again);
    }
  }
}

// P1 reports this page has already seen: a P1 that appears in a refresh without its live event
// (the event was lost, or the feed was down) still raises the alarm. Nothing urgent waits unseen.
let seenP1 = null;

function alarmForUnseenP1(reports) {
  const p1 = reports.filter((r) => r.priority === 'P1' && r.status === 'NEW').map((r) => r.reference);
  if (seenP1 !== null) {
    for (const reference of p1) if (!seenP1.has(reference)) raiseAlert(reference);
  }
  seenP1 = new Set([...(seenP1 ?? []), ...p1]);
}

function showList(status) {
  listStatus = LIST_TITLES[status] ? status : 'open';
  $('list-status').value = listStatus;
  $('queue-title').textContent = LIST_TITLES[listStatus];
  refreshQueue(false);
}

/** One report by its code, whatever its status: opened, and linked as /console/#/reports/XXXX-XXXX. */
async function find(event) {
  event.preventDefault();
  const code = $('find-code').value.trim().toUpperCase().replace(/^([A-Z0-9]{4})([A-Z0-9]{4})$/, '$1-$2');
  $('find-error').textContent = '';
  if (!/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) {
    $('find-error').textContent = 'A reference code has 8 letters and digits, such as ABCD-EFGH.';
    return;
  }
  try {
    const { reports = [] } = await api('GET', `/api/reports?q=${encodeURIComponent(code)}`);
    if (reports.length === 0) {
      $('find-error').textContent = `There is no report ${code}.`;
      return;
    }
    const link = `#/reports/${code}`;
    if (location.hash === link) open(code);
    else location.hash = link;
  } catch (error) {
    if (error.status !== 401) $('find-error').textContent = error.message;
  }
}

/** A deep link, /console/#/reports/XXXX-XXXX, opens that report once the officer is logged in. */
function openFromHash() {
  const m = /^#\/reports\/([A-Z0-9]{4}-[A-Z0-9]{4})$/.exec(location.hash);
  if (m && seesReports()) open(m[1]);
}

function liveReport({ reference, change }) {
  // The alarm comes from the refresh (alarmForUnseenP1), which sees the new P1 whether or not an event announced it.
  refreshQueue(true);
  reportChanged(reference);
}

/** Every 30 s, whatever the live feed did: the queue cannot fall behind for longer. */
const QUEUE_REFRESH_MS = 30_000;

function open(reference) {
  showView('workspace');
  clearAudit();
  openReport(reference, { focus: true });
}

// ---- start

function start() {
  initQueue(open);
  initReport({ me: () => me, onChanged: () => refreshQueue(false) });
  initAlert({ onOpen: open });
  initStatistics({ me: () => me, show: () => showView('stats-page'), back: () => showView('workspace') });
  $('login').addEventListener('submit', login);
  $('list-status').addEventListener('change', () => showList($('list-status').value));
  $('find-form').addEventListener('submit', find);
  window.addEventListener('hashchange', openFromHash);
  $('logout').addEventListener('click', logout);
  $('audit-open').addEventListener('click', () => {
    showView('audit');
    $('audit-heading').focus();
    loadAudit();
  });
  $('audit-refresh').addEventListener('click', loadAudit);
  $('audit-close').addEventListener('click', () => {
    showView('workspace');
    clearAudit();
  });
  // Any key or click may be the first one this page gets: let the alarm sound after it.
  document.addEventListener('pointerdown', unlockAudio);
  document.addEventListener('keydown', unlockAudio);
  setInterval(() => {
    tickQueue();
    tickReport();
  }, 1000);
  setInterval(() => {
    if (seesReports()) refreshQueue(true);
  }, QUEUE_REFRESH_MS);

  api('GET', '/api/session').then(enter, (error) => showLogin(error.status === 401 ? '' : error.message));
}

start();
