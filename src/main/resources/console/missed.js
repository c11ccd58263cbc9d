// Missed calls: "talk to someone" calls that nobody took, newest first, each with a Call back
// button. A call-back rings the officer's own phone (config/roster.yaml); when they answer and press
// 1, Sathi dials the caller from the hotline's number. The page never sees the caller's number: only
// whether a call-back is allowed, and why not.
//
// This module keeps to itself: it follows the console's own views (the queue, the audit log, the
// login form) and hides its section whenever one of them is shown.
import { api, reportPath } from './api.js';
import { $, el } from './dom.js';
import { dateTime } from './time.js';
import { languageName, statusText } from './words.js';

let me = null; // {username, role} once logged in

const VIEWS = ['workspace', 'audit', 'login', 'loading'];

function showMissed() {
  for (const id of VIEWS) $(id).hidden = true;
  $('missed').hidden = false;
  $('missed-heading').focus();
  loadMissed();
}

function backToQueue() {
  $('missed').hidden = true;
  $('workspace').hidden = false;
}

async function loadMissed() {
  $('missed-status').textContent = 'Loading...';
  try {
    if (!me) me = await api('GET', '/api/session');
    const { missed = [] } = await api('GET', '/api/handoffs/missed');
    $('missed-rows').replaceChildren(...missed.map(row));
    $('missed-status').textContent = missed.length ? '' : 'No missed calls.';
  } catch (error) {
    if (error.status !== 401) $('missed-status').textContent = error.message;
  }
}

function row(call) {
  const message = el('span', { class: 'missed-message', role: 'status' });
  const allowed = call.callBack?.allowed === true;
  const button = el('button', { type: 'button', class: 'primary', disabled: !allowed,
    title: allowed ? null : call.callBack?.reason }, 'Call back');
  button.addEventListener('click', () => callBack(call, button, message));
  const open = el('button', { type: 'button' }, 'Open');
  open.addEventListener('click', () => openReport(call.reference));
  return el('tr', { 'data-reference': call.reference },
    el('td', {}, el('time', { datetime: call.createdAt }, dateTime(call.createdAt))),
    el('td', {}, el('span', { class: 'reference' }, call.reference), call.voicemail ? el('span', { class: 'flag' }, 'Voicemail') : null),
    el('td', {}, languageName(call.language)),
    el('td', {}, statusText(call.status), call.assignee ? ` (${call.assignee})` : ''),
    el('td', {}, button, ' ', open, allowed ? null : el('span', { class: 'missed-reason' }, call.callBack?.reason ?? ''), message));
}

/** Claims the report first when it is still new (an officer works what they claimed), then asks for the call-back. */
async function callBack(call, button, message) {
  button.disabled = true;
  message.textContent = 'Calling your phone...';
  try {
    if (call.status === 'NEW' && me?.role !== 'supervisor') await api('POST', reportPath(call.reference, 'claim'));
    await api('POST', reportPath(call.reference, 'callback'));
    message.textContent = 'Your phone is ringing: answer it and press 1 to be put through to the caller.';
  } catch (error) {
    message.textContent = error.message;
  } finally {
    button.disabled = false;
  }
}

/** Opens the report as the rest of the console does, by its deep link. */
function openReport(reference) {
  const link = `#/reports/${reference}`;
  if (location.hash === link) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = link;
}

function init() {
  $('missed-open').addEventListener('click', showMissed);
  $('missed-refresh').addEventListener('click', loadMissed);
  $('missed-close').addEventListener('click', backToQueue);
  // The button shows with the other logged-in controls; another view shown hides this one.
  const follow = new MutationObserver(() => {
    $('missed-open').hidden = $('logout').hidden;
    if ($('logout').hidden) me = null;
    if (!$('missed').hidden && VIEWS.some((id) => !$(id).hidden)) $('missed').hidden = true;
  });
  for (const id of [...VIEWS, 'logout']) follow.observe($(id), { attributes: true, attributeFilter: ['hidden'] });
}

init();
