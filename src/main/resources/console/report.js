// The report panel (#report): one report's heading, answers, recordings and timeline. Actions on
// it live in actions.js.
import { api, reportPath } from './api.js';
import { $, el, setBadge } from './dom.js';
import { clock, age, ackDue } from './time.js';
import { ANSWER_FIELDS, answerName, statusText, kindText, channelText, languageName, flagText, timelineKindText } from './words.js';
import { initActions, showActions, resetActions } from './actions.js';
import { markSelected, showDeadline } from './queue.js';

const LANGUAGE_KEY = 'sathi.labelLanguage';
const FREE_TEXT = new Set(['place', 'details']);

let wanted = null; // the reference the officer asked for
let shown = null; // the report on screen
let loads = 0; // numbers the loads, so that only the newest one is drawn
let recordingsShown = ''; // the recordings' URLs, so a refresh does not stop one playing

export function initReport({ me, onChanged }) {
  initActions({ me, current: () => shown, reload: () => loadReport(false), onChanged });
  $('report-close').addEventListener('click', () => {
    closeReport();
    $('queue-heading').focus();
  });
  $('label-language').addEventListener('change', (event) => {
    try {
      localStorage.setItem(LANGUAGE_KEY, event.target.value);
    } catch {
      // storage blocked: the choice lasts until the page reloads
    }
    loadReport(false);
  });
}

/** Fills the answer-language choice from the session, with the remembered choice selected. */
export function setLabelLanguages(languages, defaultLanguage) {
  const select = $('label-language');
  select.replaceChildren(...languages.map((l) => el('option', { value: l.code }, languageName(l.code))));
  let saved = null;
  try {
    saved = localStorage.getItem(LANGUAGE_KEY);
  } catch {
    // storage blocked: use the default
  }
  select.value = languages.some((l) => l.code === saved) ? saved : defaultLanguage;
}

export async function openReport(reference, { focus = false } = {}) {
  if (reference !== wanted) {
    closeReport();
    wanted = reference;
    markSelected(reference);
    $('report-empty').textContent = `Loading ${reference}...`;
  }
  await loadReport(false);
  if (focus && shown?.reference === reference) {
    $('report').scrollTop = 0;
    $('report-title').focus();
  }
}

/** Loads the wanted report again; background for the page's own refreshes. */
export async function loadReport(background) {
  const reference = wanted;
  if (!reference) return;
  const load = ++loads;
  const lang = $('label-language').value;
  try {
    const report = await api('GET', `${reportPath(reference)}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`, { background });
    if (load === loads) render(report);
  } catch (error) {
    if (load !== loads || error.status === 401) return;
    if (error.status === 404) closeReport();
    if (shown) $('report-error').textContent = error.message;
    else $('report-empty').textContent = `${reference}: ${error.message}`;
  }
}

/** A live event: reload the report if it is the one on screen. */
export function reportChanged(reference) {
  if (reference === wanted) loadReport(true);
}

export function closeReport() {
  wanted = null;
  shown = null;
  loads += 1;
  recordingsShown = '';
  $('report').removeAttribute('data-reference');
  $('report-body').hidden = true;
  $('report-empty').hidden = false;
  $('report-empty').textContent = 'Choose a report from the queue.';
  $('recordings').replaceChildren();
  $('answers').replaceChildren();
  $('timeline').replaceChildren();
  markSelected(null);
  resetActions();
}

function render(report) {
  shown = report;
  $('report').dataset.reference = report.reference;
  $('report-empty').hidden = true;
  $('report-body').hidden = false;
  $('report-reference').textContent = report.reference;
  setBadge($('report-priority'), report.priority);
  $('report-status').textContent = statusText(report.status);
  $('report-meta').textContent = [kindText(report.kind), channelText(report.channel), languageName(report.language)].join(' · ');
  $('report-people').textContent = [
    report.assignee ? `Claimed by ${report.assignee}` : 'Not claimed',
    report.acknowledgedBy ? `Acknowledged by ${report.acknowledgedBy}` : null,
  ].filter(Boolean).join(' · ');
  $('report-flags').replaceChildren(...(report.flags ?? []).map((f) => el('li', { class: 'flag' }, flagText(f))));
  renderAnswers(report);
  renderRecordings(report);
  renderTimeline(report);
  tickReport();
  showActions(report);
}

function answerText(report, key) {
  const code = report.answers?.[key];
  const label = report.labels?.[key];
  if (code === null || code === undefined || code === '') {
    if (key === 'contact') return report.consented ? 'Yes' : 'No';
    return 'Not answered';
  }
  return String(label || code);
}

function renderAnswers(report) {
  $('answers').replaceChildren(...ANSWER_FIELDS.flatMap(([key, name]) => [
    el('dt', {}, name),
    el('dd', { class: FREE_TEXT.has(key) ? 'free-text' : null }, answerText(report, key)),
  ]));
}

/** Only the API's own recording paths are played. */
function ownPath(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.origin === window.location.origin && parsed.pathname.startsWith('/api/reports/');
  } catch {
    return false;
  }
}

function renderRecordings(report) {
  const recordings = (report.recordings ?? []).filter((r) => typeof r.url === 'string' && ownPath(r.url));
  const urls = recordings.map((r) => r.url).join('\n');
  if (urls === recordingsShown) return;
  recordingsShown = urls;
  $('recordings').replaceChildren(...recordings.map((r) => {
    const label = `Recording: ${answerName(r.part)}${Number.isFinite(r.seconds) ? ` (${r.seconds} s)` : ''}`;
    return el('figure', { class: 'recording-item' },
      el('figcaption', {}, label),
      el('audio', { controls: true, preload: 'none', src: r.url, class: 'recording', 'aria-label': label }));
  }));
}

function renderTimeline(report) {
  const at = (entry) => Date.parse(entry.at) || 0;
  const entries = [...(report.timeline ?? [])].sort((a, b) => at(a) - at(b));
  $('timeline').replaceChildren(...entries.map((entry) => el('li', {},
    el('span', { class: 'entry-head' },
      el('time', { datetime: entry.at, title: at(entry) ? new Date(at(entry)).toLocaleString() : null }, clock(entry.at)),
      el('span', { class: 'actor' }, String(entry.actor ?? '')),
      el('span', { class: 'entry-kind' }, timelineKindText(entry.kind))),
    entry.text ? el('span', { class: 'entry-text free-text' }, String(entry.text)) : null)));
}

export function tickReport() {
  if (!shown) return;
  $('report-received').textContent = `Received ${clock(shown.createdAt)} (${age(shown.createdAt)})`;
  const open = shown.status !== 'CLOSED' && !shown.acknowledgedBy;
  showDeadline($('report-deadline'), open ? ackDue(shown.ackDeadline) : null);
}
