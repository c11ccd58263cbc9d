// What an officer can do with the open report: claim, release, acknowledge, reply by SMS, add a
// note, refer and close; a supervisor can also reveal the call-back number and export. Each
// action posts, then reloads the report and the queue; errors show in #report-error.
import { api, reportPath } from './api.js';
import { $, el } from './dom.js';
import { clock } from './time.js';
import { serviceKindText } from './words.js';
import { smsParts } from './sms.js';
import { initReplies, showReplies, resetReplies } from './replies.js';

let context; // { me(), current(), reload(), onChanged() }
let busy = false;
let closeArmed = null; // the timer while "Confirm close" shows
const services = new Map(); // id -> service

export function initActions(ctx) {
  context = ctx;
  $('claim').addEventListener('click', () => post($('claim'), 'claim', {}, 'Claimed.'));
  $('release').addEventListener('click', () => post($('release'), 'release', {}, 'Released to the queue.'));
  $('acknowledge').addEventListener('click', () => post($('acknowledge'), 'acknowledge', {}, 'Acknowledged.'));
  onSubmit('reply-form', sendReply);
  onSubmit('note-form', addNote);
  onSubmit('refer-form', refer);
  onSubmit('close-form', closeClicked);
  onSubmit('reopen-form', reopen);
  $('reply-text').addEventListener('input', countReply);
  $('reveal').addEventListener('click', reveal);
  initReplies({ post: (button, body, done) => post(button, 'reply', body, done) });
}

function onSubmit(formId, handler) {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    handler();
  });
}

function say(error, notice = '') {
  $('report-error').textContent = error;
  $('report-notice').textContent = notice;
}

/** Posts one action; resolves with the answer, or null after showing why it failed. */
async function post(button, action, body, done) {
  const report = context.current();
  if (!report || busy) return null;
  busy = true;
  button.disabled = true;
  say('');
  try {
    const answer = await api('POST', reportPath(report.reference, action), { body });
    await Promise.all([context.reload(), context.onChanged()]);
    say('', typeof done === 'function' ? done(answer) : done);
    return answer;
  } catch (error) {
    if (error.status !== 401) say(error.message);
    return null;
  } finally {
    busy = false;
    button.disabled = false;
    const current = context.current();
    if (current) showActions(current);
  }
}

async function sendReply() {
  const text = $('reply-text').value.trim();
  if (!text) return say('Write the reply first.');
  const sent = await post($('reply-send'), 'reply', { text },
    (a) => (a.template ? a.warning
      : a.by === 'whatsapp' ? 'Reply sent on WhatsApp.'
      : Number.isFinite(a.segments) ? `Reply sent (${a.segments} SMS).` : 'Reply sent.'));
  if (sent) {
    $('reply-text').value = '';
    countReply();
  }
}

async function addNote() {
  const text = $('note-text').value.trim();
  if (!text) return say('Write the note first.');
  if (await post($('note-add'), 'note', { text }, 'Note added.')) $('note-text').value = '';
}

async function refer() {
  const id = $('refer-service').value;
  if (!id) {
    if (services.size === 0) loadServices();
    return say('Choose a service to refer to.');
  }
  const note = $('refer-note').value.trim();
  const done = `Referred to ${services.get(id)?.name ?? id}.`;
  if (await post($('refer-send'), 'refer', { service: id, note }, done)) {
    $('refer-service').value = '';
    $('refer-note').value = '';
  }
}

/** Closing takes two presses: "Close report", then "Confirm close" within a few seconds. */
async function closeClicked() {
  if (!closeArmed) {
    armClose(true);
    return;
  }
  armClose(false);
  const outcome = $('close-outcome').value;
  if (!outcome) {
    say('Choose how the report ended.');
    $('close-outcome').focus();
    return;
  }
  const note = $('close-note').value.trim();
  if (await post($('close-send'), 'close', note ? { outcome, note } : { outcome }, 'Report closed.')) {
    $('close-outcome').value = '';
    $('close-note').value = '';
  }
}

/** A supervisor reopens a closed or referred report; the reason goes on its timeline. */
async function reopen() {
  const reason = $('reopen-reason').value.trim();
  if (!reason) {
    say('Say why the report is opened again.');
    return;
  }
  if (await post($('reopen-send'), 'reopen', { reason }, 'Report reopened.')) $('reopen-reason').value = '';
}

function armClose(armed) {
  clearTimeout(closeArmed);
  closeArmed = armed ? setTimeout(() => armClose(false), 6000) : null;
  const button = $('close-send');
  button.textContent = armed ? 'Confirm close' : 'Close report';
  button.classList.toggle('armed', armed);
}

async function reveal() {
  const answer = await post($('reveal'), 'reveal', {}, '');
  if (!answer || typeof answer.number !== 'string') return;
  const revealed = $('revealed');
  revealed.replaceChildren(
    el('p', { class: 'number' }, answer.number),
    el('p', { class: 'hint' }, 'This view is recorded in the audit log.'));
  revealed.hidden = false;
}

const REPLY_TITLES = {
  sms: 'Reply to the reporter by SMS',
  whatsapp: 'Reply to the reporter on WhatsApp',
  'whatsapp-template': 'Invite the reporter to write back (WhatsApp template; your words are not sent)',
};

function countReply() {
  const text = $('reply-text').value;
  const characters = [...text].length;
  const parts = smsParts(text);
  $('reply-count').textContent = `${characters} character${characters === 1 ? '' : 's'}`
    + (parts > 0 ? `, about ${parts} SMS` : '');
}

/** Shows the buttons this officer may use on this report. */
export function showActions(report) {
  const me = context.me();
  const supervisor = me?.role === 'supervisor';
  const closed = report.status === 'CLOSED' || report.status === 'REFERRED';
  $('claim').hidden = report.status !== 'NEW';
  $('release').hidden = closed || !report.assignee || !(supervisor || report.assignee === me?.username);
  $('acknowledge').hidden = closed || Boolean(report.acknowledgedBy) || !['P1', 'P2'].includes(report.priority);

  const reply = report.reply ?? { allowed: false, reason: 'Replies are not available for this report.' };
  $('reply-text').disabled = !reply.allowed;
  $('reply-send').disabled = !reply.allowed || busy;
  $('reply-hint').textContent = reply.reason
    || (reply.allowed && reply.until ? `You can reply until ${clock(reply.until)}.` : '');
  // Which case applies: an SMS, the officer's words on WhatsApp, or only WhatsApp's template inviting the reporter to write back.
  $('reply-title').textContent = REPLY_TITLES[reply.by] ?? REPLY_TITLES.sms;
  $('reply-send').textContent = reply.by === 'whatsapp-template' ? 'Send the invitation' : 'Send reply';
  showReplies(report, reply);

  $('refer-form').hidden = closed;
  $('close-form').hidden = closed;
  $('reopen-form').hidden = !(supervisor && closed);
  $('supervisor-tools').hidden = !supervisor;
  $('reveal').hidden = !(supervisor && report.consented === true);
  $('export').hidden = !supervisor;
  $('export').setAttribute('href', reportPath(report.reference, 'export'));
}

/** Empties drafts and messages: a different report is opening, or none. */
export function resetActions() {
  for (const id of ['reply-text', 'note-text', 'refer-note', 'close-outcome', 'close-note', 'refer-service', 'reopen-reason']) $(id).value = '';
  countReply();
  armClose(false);
  $('revealed').hidden = true;
  $('revealed').replaceChildren();
  resetReplies();
  say('');
}

/** The referral services, grouped by kind. */
export async function loadServices() {
  const select = $('refer-service');
  try {
    const answer = await api('GET', '/api/referrals');
    services.clear();
    const groups = new Map();
    for (const service of answer.services ?? []) {
      services.set(service.id, service);
      if (!groups.has(service.kind)) groups.set(service.kind, []);
      groups.get(service.kind).push(service);
    }
    select.replaceChildren(el('option', { value: '' }, 'Choose a service'),
      ...[...groups].map(([kind, list]) => el('optgroup', { label: serviceKindText(kind) },
        ...list.map((s) => el('option', { value: s.id }, serviceText(s))))));
  } catch (error) {
    if (error.status !== 401) select.replaceChildren(el('option', { value: '' }, `Services not loaded: ${error.message}`));
  }
}

/** How a report can end (config/outcomes.yaml), for the close form. */
export async function loadOutcomes() {
  const select = $('close-outcome');
  try {
    const answer = await api('GET', `/api/outcomes?lang=${encodeURIComponent(document.documentElement.lang || 'en')}`);
    select.replaceChildren(el('option', { value: '' }, 'Choose how it ended'),
      ...(answer.outcomes ?? []).map((o) => el('option', { value: o.id, title: o.meaning }, o.label)));
  } catch (error) {
    if (error.status !== 401) select.replaceChildren(el('option', { value: '' }, `Outcomes not loaded: ${error.message}`));
  }
}

function serviceText(service) {
  const about = [service.area, service.hours, service.phone].filter(Boolean).join(', ');
  return `${service.name}${about ? ` (${about})` : ''}${service.sample ? ' (sample)' : ''}`;
}
