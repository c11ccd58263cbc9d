// Sathi phone simulator: this page plays Twilio. It texts and calls the hotline from simulated
// basic phones through /simulator/api (which sends Sathi the signed webhooks a real phone's texts
// and calls would), and shows what the duty officers' phones receive.
//
// SECURITY: everything that comes from the server (SMS bodies, spoken prompts, phone labels, URLs,
// error messages) is untrusted. It reaches the page only as text (textContent, text nodes through
// el() in dom.js) or as attribute values through setAttribute; never innerHTML, outerHTML,
// insertAdjacentHTML, document.write or eval. Audio URLs must be on this page's own origin.

// The one safe element builder, shared with the duty console (served beside this page).
import { $, el } from '../console/dom.js';
import { get, post, getCall, postCall } from './api.js';
import { segmentHint } from './sms.js';
import { Prompts, initMute, setMuted, unlockAudio, keyTone, setRinging } from './sound.js';
import { canRecord, startRecording } from './recorder.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const LETTERS = { 2: 'ABC', 3: 'DEF', 4: 'GHI', 5: 'JKL', 6: 'MNO', 7: 'PQRS', 8: 'TUV', 9: 'WXYZ', 0: '+' };
const POLLED = new Set(['officer', 'connected', 'nothing']);
const TAGS = {
  say: { now: 'speaking', novoice: 'no voice in this browser', failed: 'could not speak' },
  play: { now: 'playing', done: 'played', muted: 'sound off', failed: 'could not play', skipped: 'skipped' },
};

const params = new URLSearchParams(location.search);
let hotline = '';
let ussdCode = null; // the code the USSD tab dials, when Sathi has a USSD channel
let whatsApp = null; // Sathi's WhatsApp sender (whatsapp:+E164), when it has a WhatsApp channel
const byUserId = new Map(); // WhatsApp user id -> the reporter's phone that writes as it
const phones = new Map(); // number -> phone: { number, label, language, kind, threads, heard, leg, ring, ... }
let selected = null;
const recentIncoming = []; // for dropping a text that arrives both as a reply and as an event

// ---- small helpers

const nameOf = (phone) => (phone.kind === 'officer' ? phone.label || phone.number : `${phone.label || phone.number} phone`);

const pad = (n) => String(n).padStart(2, '0');
const clock = (seconds) => {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${pad(s % 60)}`;
};
const hhmm = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}`;

function parseTime(value) {
  const date = value ? new Date(value) : new Date();
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
const validLang = (tag) => (typeof tag === 'string' && LANG_TAG.test(tag) ? tag : null);

let languageNames = null;
try {
  languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
} catch {
  languageNames = null;
}
function languageName(code) {
  if (!validLang(code)) return '';
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A same-origin URL for a <Play> clip, or null. */
function sameOrigin(url) {
  if (typeof url !== 'string' || !url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.origin === location.origin ? parsed.href : null;
  } catch {
    return null;
  }
}

function fileName(url) {
  try {
    const path = new URL(url, location.href).pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || path;
  } catch {
    return String(url);
  }
}

// ---- errors and the feed indicator

function showError(message) {
  $('error-bar').hidden = false;
  $('error').textContent = String(message || 'Something went wrong.');
}

function clearError() {
  $('error-bar').hidden = true;
  $('error').textContent = '';
}

function showLive(text, up) {
  const live = $('live');
  live.textContent = text;
  live.classList.toggle('live-up', up);
  live.classList.toggle('live-down', !up);
}

// ---- phones and the picker

function addPhone(info) {
  const phone = {
    number: info.number,
    label: typeof info.label === 'string' ? info.label : '',
    language: validLang(info.language),
    kind: info.kind === 'officer' ? 'officer' : 'reporter',
    via: info.via === 'smpp' ? 'smpp' : 'twilio', // smpp: texts an operator's short code through the simulated SMSC
    shortCode: typeof info.to === 'string' ? info.to : '',
    userId: typeof info.userId === 'string' ? info.userId : null, // what it writes as on WhatsApp when it hides its number
    asUserId: false, // whether the WhatsApp chat sends as the user id
    threads: { sms: [], whatsapp: [] }, // <li class="msg"> nodes of each chat, oldest first
    heard: [], // <li class="say|play"> nodes of the current (or last) call
    mode: 'sms',
    drafts: { sms: '', whatsapp: '' },
    unread: { sms: 0, whatsapp: 0 },
    leg: null, // the call this phone is on
    lastStatus: '', // what the idle call screen says after a call ("Call ended")
    ring: null, // { call, from } while Sathi rings this (officer's) phone
    ussd: { session: 'idle', screen: '', status: '' }, // session: idle | dialling | open | sending | ended
  };
  phones.set(phone.number, phone);
  if (phone.userId) byUserId.set(phone.userId, phone);
  return phone;
}

function fillPicker() {
  const select = $('phone-select');
  const groups = new Map();
  const officers = el('optgroup', { label: "Duty officers' phones" });
  for (const phone of phones.values()) {
    if (phone.kind === 'officer') {
      officers.append(el('option', { value: phone.number }, `${phone.label || 'Officer'}: ${phone.number}`));
      continue;
    }
    const country = phone.label || 'Other';
    if (!groups.has(country)) groups.set(country, el('optgroup', { label: country }));
    const language = languageName(phone.language);
    groups.get(country).append(
      el('option', { value: phone.number }, `${country}: ${phone.number}${language ? ` (${language})` : ''}`),
    );
  }
  select.replaceChildren(...groups.values(), ...(officers.children.length ? [officers] : []));
}

function select(phone, mode = null) {
  if (!phone) return;
  if (selected && selected !== phone) {
    for (const [chat, c] of Object.entries(CHATS)) selected.drafts[chat] = $(c.box).value;
  }
  selected = phone;
  if (mode) phone.mode = mode;
  if (CHATS[phone.mode]) phone.unread[phone.mode] = 0;
  $('phone-select').value = phone.number;
  $('ussd-input').value = '';
  for (const [chat, c] of Object.entries(CHATS)) {
    $(c.box).value = phone.drafts[chat];
    $(c.list).replaceChildren(...phone.threads[chat]);
  }
  $('heard').replaceChildren(...phone.heard);
  for (const notice of [...$('notices').children]) {
    if (notice.dataset.number === phone.number) notice.remove();
  }
  const url = new URL(location.href);
  url.searchParams.set('phone', phone.number);
  history.replaceState(null, '', url);
  render();
  scrollDown($('thread'));
  scrollDown($('chat'));
  scrollDown($('heard'));
}

function setMode(mode) {
  if (!selected) return;
  selected.mode = mode;
  if (CHATS[mode]) selected.unread[mode] = 0;
  render();
  scrollDown($(CHATS[mode]?.list ?? 'heard'));
}

const scrollDown = (list) => {
  const box = list.closest('.scroll') ?? list;
  box.scrollTop = box.scrollHeight;
};

// ---- rendering the selected phone

function render() {
  const phone = selected;
  if (!phone) return;
  const box = $('phone');
  box.dataset.number = phone.number;
  box.dataset.kind = phone.kind;
  box.dataset.mode = phone.mode;
  $('screen-name').textContent = nameOf(phone);
  $('screen-number').textContent = phone.number;

  if ((phone.mode === 'ussd' && !hasUssd(phone)) || (phone.mode === 'whatsapp' && !hasWhatsApp(phone))) phone.mode = 'sms';
  const mode = phone.mode;
  for (const tab of ['sms', 'whatsapp', 'call', 'ussd']) {
    $(`mode-${tab}`).setAttribute('aria-selected', String(mode === tab));
    $(`${tab}-view`).hidden = mode !== tab;
  }
  $('mode-ussd').hidden = !hasUssd(phone);
  $('mode-whatsapp').hidden = !hasWhatsApp(phone);
  for (const [chat, c] of Object.entries(CHATS)) {
    $(c.unread).textContent = phone.unread[chat] ? String(phone.unread[chat]) : '';
    $(c.empty).hidden = phone.threads[chat].length > 0;
  }
  $('wa-as-number').checked = !phone.asUserId;
  $('wa-as-user').checked = phone.asUserId;
  $('wa-as-number-label').textContent = phone.number;
  $('wa-as-user-label').textContent = phone.userId ?? '';
  $('thread-empty').textContent =
    phone.kind === 'officer'
      ? "No messages yet. Sathi's pages to this duty officer appear here."
      : 'No messages yet. Type a message to Sathi below, for example HELP.';
  $('sms-hint').textContent = segmentHint($('sms-text').value);

  renderCall(phone);
  renderUssd(phone);
  renderRing(phone);
  renderRingNotice();
  $('notices-empty').hidden = $('notices').children.length > 0;
}

function callState(phone) {
  const leg = phone.leg;
  if (!leg) return phone.ring ? 'ringing' : 'idle';
  if (leg.status !== 'in-progress') return leg.status;
  return leg.waiting?.for ?? 'nothing';
}

function statusText(phone) {
  const leg = phone.leg;
  if (!leg) {
    if (phone.ring) return 'Incoming call...';
    return phone.lastStatus || `Press the green key to call Sathi${hotline ? ` on ${hotline}` : ''}.`;
  }
  if (leg.status === 'dialling') return 'Calling...';
  if (leg.status === 'answering') return 'Answering...';
  const since = (t) => clock((Date.now() - t) / 1000);
  switch (leg.waiting?.for) {
    case 'officer':
      return 'Ringing the duty officer...';
    case 'connected':
      return `Connected ${since(leg.connectedAt ?? leg.startedAt)}`;
    default:
      return `In call ${since(leg.startedAt)}`;
  }
}

function waitingText(leg) {
  const w = leg.waiting;
  const waits = `(waits ${w.timeout} s)`;
  let text;
  if (w.numDigits === 1) text = `Press a key ${waits}`;
  else if (Number.isFinite(w.numDigits)) {
    text = `Type ${w.numDigits} digits${w.finishOnKey ? `, or end with ${w.finishOnKey}` : ''} ${waits}`;
  } else text = `Type the digits, then ${w.finishOnKey ? `press ${w.finishOnKey}` : 'wait'} ${waits}`;
  if (leg.digits) text += `. Typed: ${leg.digits}`;
  if (leg.keyDeadline) text += `. ${Math.max(0, Math.ceil((leg.keyDeadline - Date.now()) / 1000))} s left`;
  return text;
}

// Screen readers hear when the call changes, not every tick of its clock.
const ANNOUNCE = {
  ringing: 'Incoming call',
  dialling: 'Calling',
  keys: 'Sathi is waiting for a key',
  recording: 'Sathi is waiting for your message',
  officer: 'Ringing the duty officer',
  connected: 'Connected',
};
let announced = '';

function renderCall(phone) {
  const leg = phone.leg;
  const state = callState(phone);
  const key = `${phone.number} ${state} ${phone.lastStatus}`;
  if (key !== announced) {
    announced = key;
    $('call-announce').textContent = ANNOUNCE[state] ?? (state === 'idle' ? phone.lastStatus : '');
  }
  $('phone').dataset.call = state;
  $('call-status').textContent = statusText(phone);
  $('call-status').dataset.state = state;
  $('call-view').classList.toggle('idle', !leg);

  const w = leg?.status === 'in-progress' ? leg.waiting : null;
  const waiting = $('waiting');
  waiting.hidden = w?.for !== 'keys';
  waiting.textContent = w?.for === 'keys' ? waitingText(leg) : '';

  $('call-note').textContent = leg?.note ?? '';

  const recording = w?.for === 'recording';
  $('record-panel').hidden = !recording;
  if (recording) {
    const mic = $('record-mic');
    const on = Boolean(leg.recording);
    mic.textContent = on ? 'Stop and send' : leg.micStarting ? 'Starting...' : 'Record from mic';
    mic.setAttribute('aria-pressed', String(on));
    mic.classList.toggle('recording', on);
    mic.disabled = !canRecord() || leg.micStarting;
    $('record-sample').disabled = on || leg.micStarting;
    const finish = w.finishOnKey ? ` Press ${w.finishOnKey.split('').join(' or ')} or the button to finish.` : '';
    $('record-info').textContent = on
      ? `Recording: speak now.${finish}`
      : `Leave your message (up to ${clock(w.maxLength)}).${canRecord() ? '' : ' This browser cannot record here: send the sample clip.'}`;
    const left = on ? w.maxLength - leg.recording.elapsed() : w.maxLength;
    $('record-countdown').textContent = `${clock(left)} left`;
  }

  const start = $('call-start');
  start.disabled = Boolean(leg);
  start.setAttribute('aria-label', phone.ring && !leg ? 'Answer' : 'Call Sathi');
  const end = $('call-end');
  end.disabled = !leg && !phone.ring;
  end.setAttribute('aria-label', phone.ring && !leg ? 'Decline' : 'End call');
  if (phone.mode === 'ussd') ussdKeys(phone);
}

function renderRing(phone) {
  const ring = phone.ring;
  $('ring-panel').hidden = !ring;
  if (ring) {
    $('ring-to').textContent = `on ${nameOf(phone)}`;
    $('ring-from').textContent = `Sathi ${ring.from || hotline} is putting a call through to you.`;
  }
  $('ring-answer').disabled = Boolean(phone.leg);
}

function renderRingNotice() {
  const ringing = [...phones.values()].filter((p) => p.ring);
  setRinging(ringing.length > 0);
  const notice = $('ring-notice');
  notice.hidden = ringing.length === 0;
  if (!ringing.length) return;
  const first = ringing.find((p) => p !== selected) ?? ringing[0];
  $('ring-notice-text').textContent = `${nameOf(first)} is ringing: Sathi is putting a call through.`;
  const show = $('ring-notice-show');
  show.hidden = first === selected;
  show.dataset.number = first.number;
  show.textContent = `Show ${nameOf(first)}`;
}

// A second ticker keeps call clocks, key-wait countdowns and the screen clock moving.
setInterval(() => {
  $('screen-clock').textContent = hhmm(new Date());
  if (selected) renderCall(selected);
}, 1000);

// ---- notices for the phones not on screen

function addNotice(phone, text, detail, mode) {
  if (phone === selected) return;
  const open = el(
    'button',
    { type: 'button', class: 'notice-open' },
    el('span', { class: 'notice-title' }, text),
    detail ? el('span', { class: 'notice-detail', dir: 'auto' }, detail) : null,
    el('time', { datetime: new Date().toISOString() }, hhmm(new Date())),
  );
  open.addEventListener('click', () => select(phone, mode));
  const list = $('notices');
  list.prepend(el('li', { class: `notice notice-${mode}`, 'data-number': phone.number }, open));
  while (list.children.length > 50) list.lastElementChild.remove();
  $('notices-empty').hidden = true;
}

// ---- SMS and WhatsApp: two chats of bubbles, each with its composer. They differ only in where a
// message goes (the SMS webhook, or WhatsApp's from the number or the user id) and what they count.

const hasWhatsApp = (phone) => Boolean(whatsApp) && phone?.kind === 'reporter' && phone.via === 'twilio';

const CHATS = {
  sms: {
    list: 'thread',
    empty: 'thread-empty',
    box: 'sms-text',
    unread: 'unread',
    what: 'SMS',
    to: (phone) => (phone.via === 'smpp' ? phone.shortCode : hotline),
    from: (phone) => phone.number,
    send: (phone, body) => post('/sms', { from: phone.number, body, via: phone.via }),
  },
  whatsapp: {
    list: 'chat',
    empty: 'chat-empty',
    box: 'wa-text',
    unread: 'wa-unread',
    what: 'WhatsApp message',
    to: () => whatsApp,
    from: (phone) => (phone.asUserId ? phone.userId : phone.number),
    send: (phone, body) => post('/whatsapp', { from: phone.number, body, userId: phone.asUserId }),
  },
};

function addMessage(phone, { dir, from, to, body, at }, chat = 'sms') {
  const date = parseTime(at);
  const state = el('span', { class: 'msg-state' });
  const node = el(
    'li',
    { class: `msg ${dir}`, 'data-from': from, 'data-to': to },
    el('span', { class: 'msg-body', dir: 'auto' }, String(body ?? '')),
    el('span', { class: 'msg-meta' }, el('time', { datetime: date.toISOString() }, hhmm(date)), state),
  );
  const c = CHATS[chat];
  phone.threads[chat].push(node);
  if (phone === selected) {
    $(c.list).append(node);
    $(c.empty).hidden = true;
    scrollDown($(c.list));
  }
  return node;
}

function receive(phone, message, source, chat = 'sms') {
  const key = `${chat}\n${message.to}\n${message.from}\n${message.body}`;
  const now = Date.now();
  while (recentIncoming.length && now - recentIncoming[0].at > 20000) recentIncoming.shift();
  const twin = recentIncoming.findIndex((m) => m.key === key && m.source !== source);
  if (twin >= 0) {
    recentIncoming.splice(twin, 1); // the same text through the reply and the feed: show it once
    return null;
  }
  recentIncoming.push({ key, source, at: now });
  const node = addMessage(phone, { ...message, dir: 'in' }, chat);
  if (phone !== selected || phone.mode !== chat) {
    phone.unread[chat] += 1;
    addNotice(phone, `New ${CHATS[chat].what} for ${nameOf(phone)}`, message.body, chat);
  }
  render();
  return node;
}

async function sendText(chat) {
  const phone = selected;
  const c = CHATS[chat];
  const box = $(c.box);
  const body = box.value;
  if (!phone || !body.trim()) {
    box.focus();
    return;
  }
  box.value = '';
  phone.drafts[chat] = '';
  render();
  const to = c.to(phone);
  const from = c.from(phone);
  const node = addMessage(phone, { dir: 'out', from, to, body }, chat);
  node.classList.add('pending');
  node.querySelector('.msg-state').textContent = from === phone.number ? 'sending' : `sending as ${from}`;
  try {
    const answer = await c.send(phone, body);
    node.classList.remove('pending');
    node.querySelector('.msg-state').textContent = from === phone.number ? 'sent' : `sent as ${from}`;
    clearError();
    for (const reply of Array.isArray(answer?.replies) ? answer.replies : []) {
      if (typeof reply === 'string') receive(phone, { from: to, to: from, body: reply }, 'reply', chat);
    }
  } catch (error) {
    node.classList.remove('pending');
    node.classList.add('failed');
    node.querySelector('.msg-state').textContent = 'not sent';
    showError(error.message);
  }
}

function typeInto(chat, key) {
  const box = $(CHATS[chat].box);
  const start = box.selectionStart ?? box.value.length;
  const end = box.selectionEnd ?? start;
  box.setRangeText(key, start, end, 'end');
  box.dispatchEvent(new Event('input'));
}

// ---- calls: one leg per phone. A caller's leg is the reporter's call to the hotline; an officer's
// leg is Sathi's call put through to a duty officer's phone (same call id, officer-* endpoints).

function newLeg(phone, role, id) {
  const leg = {
    phone,
    role,
    id,
    status: role === 'officer' ? 'answering' : 'dialling',
    waiting: null,
    startedAt: Date.now(),
    connectedAt: null,
    digits: '',
    keyTimer: null,
    keyDeadline: null,
    pollTimer: null,
    inFlight: 0,
    chain: Promise.resolve(),
    prompts: new Prompts(),
    recording: null,
    recordTimer: null,
    micStarting: false,
    note: '',
    closed: false,
  };
  phone.leg = leg;
  phone.heard = [];
  phone.lastStatus = '';
  if (phone === selected) $('heard').replaceChildren();
  return leg;
}

const callerLeg = (id) => [...phones.values()].find((p) => p.leg?.role === 'caller' && p.leg.id === id)?.leg;
const officerLeg = (id) => [...phones.values()].find((p) => p.leg?.role === 'officer' && p.leg.id === id)?.leg;

function normaliseWaiting(w) {
  const kind = typeof w?.for === 'string' ? w.for : 'nothing';
  const number = (value, fallback) => (Number.isFinite(Number(value)) && Number(value) > 0 ? Number(value) : fallback);
  const finishOnKey = typeof w?.finishOnKey === 'string' ? w.finishOnKey : kind === 'keys' ? '#' : '';
  if (kind === 'keys') {
    return { for: kind, numDigits: number(w.numDigits, Infinity), timeout: number(w.timeout, 5), finishOnKey };
  }
  if (kind === 'recording') {
    return { for: kind, maxLength: number(w.maxLength, 120), timeout: number(w.timeout, 5), finishOnKey };
  }
  return { for: kind, timeout: number(w?.timeout, 0) };
}

function hear(leg, item) {
  if (!item || typeof item !== 'object') return;
  const phone = leg.phone;
  const tag = el('small', { class: 'tag' });
  let node;
  let sounded = null;
  if (item.kind === 'say') {
    const text = String(item.text ?? '');
    const language = validLang(item.language);
    node = el('li', { class: 'say', lang: language }, el('span', { class: 'text', dir: 'auto' }, text), tag);
    sounded = { kind: 'say', text, language };
  } else if (item.kind === 'play') {
    const url = sameOrigin(item.url);
    node = el(
      'li',
      { class: 'play', 'data-url': String(item.url ?? '') },
      el('span', { class: 'text' }, `Sound: ${fileName(item.url)}`),
      tag,
    );
    if (url) sounded = { kind: 'play', url };
    else tag.textContent = 'not played: not from Sathi';
  } else {
    node = el('li', { class: 'other' }, el('span', { class: 'text' }, `(${String(item.kind ?? 'unknown')})`), tag);
  }
  phone.heard.push(node);
  if (phone === selected) {
    $('heard').append(node);
    scrollDown($('heard'));
  }
  if (!sounded) return;
  const labels = TAGS[sounded.kind];
  leg.prompts.add(sounded, (state) => {
    tag.textContent = labels[state] ?? '';
    node.classList.toggle('now', state === 'now');
  });
}

function applyState(leg, state) {
  if (!state || typeof state !== 'object') throw new Error('Sathi sent an unreadable call state.');
  if (leg.closed) return;
  const next = normaliseWaiting(state.waiting);
  // Taken, declined, hung up by the other side: what was sounding while the caller waited for the
  // officer (hold music) stops, as the call moves on.
  if (leg.waiting?.for === 'officer' && (next.for !== 'officer' || state.status === 'ended')) leg.prompts.skip();
  for (const item of Array.isArray(state.heard) ? state.heard : []) hear(leg, item);
  if (state.status === 'ended') {
    endLeg(leg, 'Call ended', { quiet: false }); // let a goodbye prompt finish
    return;
  }
  if (leg.status !== 'in-progress') leg.startedAt = Date.now();
  leg.status = 'in-progress';
  setWaiting(leg, next);
}

function setWaiting(leg, w) {
  clearTimeout(leg.keyTimer);
  leg.keyTimer = null;
  leg.keyDeadline = null;
  leg.digits = '';
  leg.note = '';
  if (w.for !== 'recording') stopRecorder(leg);
  const wasConnected = leg.waiting?.for === 'connected';
  leg.waiting = w;
  if (w.for === 'connected' && !wasConnected) leg.connectedAt = Date.now();
  if (w.for !== 'connected') leg.connectedAt = null;
  if (w.for === 'keys') {
    // The caller is never rushed: the wait starts once every prompt has been spoken or played.
    leg.prompts.whenIdle().then(() => {
      if (leg.waiting === w && !leg.closed && !leg.keyTimer) startKeyTimer(leg);
    });
  }
  if (leg.role === 'officer' && w.for === 'connected' && !wasConnected) {
    const caller = callerLeg(leg.id);
    if (caller) request(caller, 'GET'); // show "Connected" on the caller's phone at once
  }
  schedulePoll(leg);
  if (leg.phone === selected) render();
}

function startKeyTimer(leg) {
  const w = leg.waiting;
  clearTimeout(leg.keyTimer);
  leg.keyDeadline = Date.now() + w.timeout * 1000;
  leg.keyTimer = setTimeout(() => submitDigits(leg), w.timeout * 1000);
  if (leg.phone === selected) renderCall(leg.phone);
}

/** Sends the digits collected so far; '' is how Twilio reports that the caller pressed nothing. */
function submitDigits(leg) {
  const w = leg.waiting;
  if (leg.closed || w?.for !== 'keys') return;
  const digits = leg.digits;
  clearTimeout(leg.keyTimer);
  leg.keyTimer = null;
  leg.keyDeadline = null;
  leg.waiting = { for: 'sending' };
  leg.note = digits ? `Sent ${digits}` : 'No key pressed';
  if (leg.phone === selected) render();
  request(leg, leg.role === 'officer' ? 'officer-keys' : 'keys', { digits }, w);
}

function pressKeyInCall(leg, key) {
  const w = leg.waiting;
  if (leg.closed || leg.status !== 'in-progress' || !w) return;
  if (w.for === 'keys') {
    leg.prompts.skip(); // a key pressed over a prompt stops it, as on a real call
    if (w.finishOnKey && w.finishOnKey.includes(key)) {
      submitDigits(leg);
      return;
    }
    leg.digits += key;
    if (leg.digits.length >= w.numDigits) submitDigits(leg);
    else {
      startKeyTimer(leg); // the timeout runs again after every key
      render();
    }
  } else if (w.for === 'recording' && leg.recording && w.finishOnKey.includes(key)) {
    finishMic(leg);
  }
}

/** Requests on one leg run one after another, so states are applied in order. */
function request(leg, action, body, restore = null) {
  leg.inFlight += 1;
  const run = leg.chain
    .then(async () => {
      if (leg.closed || !leg.id) return;
      const state = action === 'GET' ? await getCall(leg.id) : await postCall(leg.id, action, body);
      if (leg.closed) return;
      applyState(leg, state);
      if (action !== 'GET') clearError();
    })
    .catch((error) => {
      if (leg.closed) return;
      showError(error.message);
      if (error.status === 404 || error.status === 410) endLeg(leg, 'Call ended', { quiet: true });
      else if (restore) setWaiting(leg, restore);
    })
    .finally(() => {
      leg.inFlight -= 1;
    });
  leg.chain = run;
  return run;
}

// The officer's side can change the caller's call (taken, hung up): while the caller waits for the
// officer, is connected, or waits for nothing in particular, the caller's state is fetched every
// second. An officer's leg whose caller is not on this page only watches for the call's end.
function needsPoll(leg) {
  if (leg.closed || leg.status !== 'in-progress' || !leg.id) return false;
  if (leg.role === 'caller') return POLLED.has(leg.waiting?.for);
  return !callerLeg(leg.id);
}

function schedulePoll(leg) {
  if (leg.pollTimer || !needsPoll(leg)) return;
  leg.pollTimer = setTimeout(async () => {
    leg.pollTimer = null;
    if (!needsPoll(leg)) return;
    if (leg.role === 'caller') {
      if (leg.inFlight === 0) await request(leg, 'GET');
    } else {
      await watchCaller(leg);
    }
    schedulePoll(leg);
  }, leg.role === 'caller' ? 1000 : 2000);
}

async function watchCaller(leg) {
  try {
    const state = await getCall(leg.id);
    if (state?.status === 'ended') endLeg(leg, 'Call ended: the caller hung up', { quiet: true });
  } catch (error) {
    if (error.status === 404 || error.status === 410) endLeg(leg, 'Call ended', { quiet: true });
  }
}

function endLeg(leg, note, { quiet }) {
  if (leg.closed) return;
  leg.closed = true;
  leg.status = 'ended';
  clearTimeout(leg.keyTimer);
  clearTimeout(leg.pollTimer);
  stopRecorder(leg);
  if (quiet) leg.prompts.close();
  else leg.prompts.whenIdle().then(() => leg.prompts.close());
  const phone = leg.phone;
  if (phone.leg === leg) {
    phone.leg = null;
    phone.lastStatus = note;
  }
  if (leg.role === 'caller' && leg.id) {
    const other = officerLeg(leg.id);
    if (other) endLeg(other, 'Call ended: the caller hung up', { quiet: true });
    for (const p of phones.values()) {
      if (p.ring?.call === leg.id) {
        p.ring = null;
        addNotice(p, `Missed call on ${nameOf(p)}`, 'The caller hung up.', 'call');
      }
    }
  }
  if (phone !== selected) addNotice(phone, `Call ended on ${nameOf(phone)}`, null, 'call');
  render();
}

async function startCall(phone) {
  if (phone.leg) return;
  phone.mode = 'call';
  const leg = newLeg(phone, 'caller', null);
  render();
  try {
    const state = await post('/calls', { from: phone.number });
    if (typeof state?.call !== 'string' || !state.call) throw new Error('Sathi did not say which call this is.');
    leg.id = state.call;
    if (leg.closed) {
      postCall(leg.id, 'hangup', {}).catch(() => {}); // hung up while it was still dialling
      return;
    }
    applyState(leg, state);
    clearError();
  } catch (error) {
    endLeg(leg, 'Call failed', { quiet: true });
    showError(error.message);
  }
}

async function hangUp(phone) {
  const leg = phone.leg;
  if (!leg) {
    if (phone.ring) await answerRing(phone, false);
    return;
  }
  endLeg(leg, 'Call ended', { quiet: true });
  if (!leg.id) return; // still dialling: startCall hangs up when the id comes
  try {
    await postCall(leg.id, leg.role === 'officer' ? 'officer-hangup' : 'hangup', {});
  } catch (error) {
    if (error.status !== 404 && error.status !== 410) showError(error.message);
  }
  if (leg.role === 'officer') {
    const caller = callerLeg(leg.id);
    if (caller) request(caller, 'GET'); // the caller's call moves on without the officer
  }
}

// ---- officers' phones ringing

function onRing(data) {
  const phone = phones.get(data?.to);
  if (!phone || typeof data.call !== 'string') return;
  phone.ring = { call: data.call, from: typeof data.from === 'string' ? data.from : hotline };
  addNotice(phone, `${nameOf(phone)} is ringing`, 'Sathi is putting a call through.', 'call');
  render();
}

function onRingEnded(data) {
  for (const phone of phones.values()) {
    if (phone.ring && phone.ring.call === data?.call) {
      phone.ring = null;
      phone.lastStatus = 'Missed call';
      addNotice(phone, `Missed call on ${nameOf(phone)}`, null, 'call');
    }
  }
  render();
}

async function answerRing(phone, answer) {
  const ring = phone.ring;
  if (!ring) return;
  if (answer && phone.leg) {
    showError('This phone is already on a call: hang up first.');
    return;
  }
  phone.ring = null;
  if (!answer) {
    phone.lastStatus = 'Call declined';
    render();
    try {
      await postCall(ring.call, 'officer', { answer: false });
      clearError();
    } catch (error) {
      showError(error.message);
    }
    const caller = callerLeg(ring.call);
    if (caller) request(caller, 'GET');
    return;
  }
  phone.mode = 'call';
  const leg = newLeg(phone, 'officer', ring.call);
  render();
  try {
    applyState(leg, await postCall(ring.call, 'officer', { answer: true }));
    clearError();
  } catch (error) {
    endLeg(leg, 'Call ended', { quiet: true });
    showError(error.message);
  }
}

// ---- recording a message

function stopRecorder(leg) {
  clearTimeout(leg.recordTimer);
  leg.recordTimer = null;
  leg.recording?.cancel();
  leg.recording = null;
}

async function toggleMic() {
  const leg = selected?.leg;
  if (!leg || leg.waiting?.for !== 'recording') return;
  if (leg.recording) {
    finishMic(leg);
    return;
  }
  if (leg.micStarting) return;
  leg.micStarting = true;
  render();
  try {
    const recording = await startRecording();
    if (leg.closed || leg.waiting?.for !== 'recording') {
      recording.cancel();
      return;
    }
    leg.prompts.skip();
    leg.recording = recording;
    leg.recordTimer = setTimeout(() => finishMic(leg), leg.waiting.maxLength * 1000);
  } catch (error) {
    showError(`The microphone is not available here (${error.name || error.message}). Send the sample clip instead.`);
  } finally {
    leg.micStarting = false;
    if (leg.phone === selected) render();
  }
}

async function finishMic(leg) {
  const recording = leg.recording;
  const w = leg.waiting;
  if (!recording || w?.for !== 'recording') return;
  clearTimeout(leg.recordTimer);
  leg.recording = null;
  leg.waiting = { for: 'sending' };
  leg.note = 'Sending your recording...';
  render();
  try {
    const clip = await recording.stop();
    clip.seconds = Math.min(clip.seconds, w.maxLength);
    request(leg, 'recording', clip, w);
  } catch (error) {
    showError(error.message);
    if (!leg.closed) setWaiting(leg, w);
  }
}

function sendSample() {
  const leg = selected?.leg;
  const w = leg?.waiting;
  if (!leg || w?.for !== 'recording' || leg.recording) return;
  leg.waiting = { for: 'sending' };
  leg.note = 'Sending the sample clip...';
  render();
  request(leg, 'recording', { sample: true }, w);
}

// ---- USSD: the reporter's phone dials the hotline's code; each screen shows in a pop-up with an
// answer box. END closes the session; Cancel is the gateway dropping it (the next dial is a new
// session, which offers to continue a report cut off in the last 10 minutes).

const hasUssd = (phone) => Boolean(ussdCode) && phone?.kind === 'reporter';
const ussdBusy = (u) => u.session === 'dialling' || u.session === 'sending';

function renderUssd(phone) {
  const u = phone.ussd;
  $('ussd-code').textContent = ussdCode ?? '';
  $('ussd-status').textContent =
    u.status || (u.session === 'dialling' ? `Dialling ${ussdCode}...` : `Dial ${ussdCode} to start a USSD session.`);
  const box = $('ussd-box');
  const shown = u.session !== 'idle' && u.session !== 'dialling';
  box.hidden = !shown;
  box.dataset.session = u.session;
  $('ussd-idle').hidden = shown;
  $('ussd-dial').disabled = ussdBusy(u);
  $('ussd-screen').textContent = u.screen;
  $('ussd-input').disabled = u.session !== 'open';
  $('ussd-send').disabled = u.session !== 'open';
  $('ussd-cancel').textContent = u.session === 'ended' ? 'OK' : 'Cancel';
}

/** The green and red keys on the USSD tab: dial or send; cancel. */
function ussdKeys(phone) {
  const u = phone.ussd;
  const start = $('call-start');
  start.disabled = ussdBusy(u);
  start.setAttribute('aria-label', u.session === 'open' ? 'Send' : `Dial ${ussdCode}`);
  const end = $('call-end');
  end.disabled = u.session === 'idle' || u.session === 'dialling';
  end.setAttribute('aria-label', u.session === 'ended' ? 'Close' : 'Cancel');
}

function ussdScreen(phone, answer) {
  const open = answer?.session === 'open';
  phone.ussd = {
    session: open ? 'open' : 'ended',
    screen: typeof answer?.screen === 'string' ? answer.screen : '',
    status: open ? `USSD session on ${ussdCode}` : 'Session ended',
  };
  if (phone !== selected) addNotice(phone, `USSD screen on ${nameOf(phone)}`, phone.ussd.screen, 'ussd');
  render();
  if (open && phone === selected && phone.mode === 'ussd') $('ussd-input').focus();
}

async function ussdDial(phone) {
  if (!hasUssd(phone) || ussdBusy(phone.ussd)) return;
  phone.mode = 'ussd';
  phone.ussd = { session: 'dialling', screen: '', status: '' };
  $('ussd-input').value = '';
  render();
  try {
    ussdScreen(phone, await post('/ussd/dial', { phone: phone.number }));
    clearError();
  } catch (error) {
    phone.ussd = { session: 'idle', screen: '', status: 'Dialling failed' };
    render();
    showError(error.message);
  }
}

async function ussdSend(phone) {
  const u = phone.ussd;
  const box = $('ussd-input');
  const input = box.value.trim();
  if (u.session !== 'open') return;
  if (!input) {
    box.focus();
    return;
  }
  phone.ussd = { ...u, session: 'sending', status: 'Sending...' };
  render();
  try {
    const answer = await post('/ussd/type', { phone: phone.number, input });
    if (phone.ussd.session !== 'sending') return; // cancelled meanwhile: the gateway dropped the session
    if (phone === selected) box.value = '';
    ussdScreen(phone, answer);
    clearError();
  } catch (error) {
    // 409: the session is gone (the simulator restarted); otherwise the screen stays for another try.
    if (phone.ussd.session !== 'sending') return;
    phone.ussd = error.status === 409 ? { session: 'idle', screen: '', status: 'Session ended' } : u;
    render();
    showError(error.message);
  }
}

async function ussdCancel(phone) {
  const u = phone.ussd;
  if (u.session === 'idle' || u.session === 'dialling') return;
  const ended = u.session === 'ended';
  phone.ussd = {
    session: 'idle',
    screen: '',
    status: ended ? 'Session ended' : 'Cancelled: the gateway dropped the session. Dial again within 10 minutes to continue.',
  };
  $('ussd-input').value = '';
  render();
  if (ended) return;
  try {
    await post('/ussd/cancel', { phone: phone.number });
    clearError();
  } catch (error) {
    showError(error.message);
  }
}

function typeIntoUssd(key) {
  if (selected?.ussd.session !== 'open') return;
  const box = $('ussd-input');
  box.value = (box.value + key).slice(0, 160);
}

// ---- the keypad

function pressKey(key) {
  if (!selected) return;
  const button = document.querySelector(`button.key[data-key="${key}"]`);
  button?.classList.add('pressed');
  setTimeout(() => button?.classList.remove('pressed'), 150);
  if (CHATS[selected.mode]) {
    typeInto(selected.mode, key);
    return;
  }
  keyTone(key);
  if (selected.mode === 'ussd') {
    typeIntoUssd(key);
    return;
  }
  if (selected.leg) pressKeyInCall(selected.leg, key);
}

function buildKeypad() {
  const pad = $('keys');
  for (const key of KEYS) {
    const button = el(
      'button',
      { type: 'button', class: 'key', 'data-key': key, 'aria-label': key },
      el('span', { class: 'key-main' }, key),
      el('span', { class: 'key-sub', 'aria-hidden': 'true' }, LETTERS[key] ?? ''),
    );
    button.addEventListener('click', () => pressKey(key));
    pad.append(button);
  }
}

// ---- the live feed

function connectEvents() {
  const feed = new EventSource('/simulator/api/events');
  showLive('Connecting...', false);
  const parse = (handler) => (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (data && typeof data === 'object') handler(data);
  };
  feed.addEventListener('open', () => showLive('Live', true));
  feed.addEventListener('error', () => {
    showLive('Reconnecting...', false);
    if (feed.readyState === EventSource.CLOSED) setTimeout(connectEvents, 3000);
  });
  feed.addEventListener('sms', parse((data) => {
    const phone = phones.get(data.to);
    if (!phone || typeof data.body !== 'string') return;
    receive(phone, { from: typeof data.from === 'string' ? data.from : hotline, to: phone.number, body: data.body, at: data.at }, 'feed');
  }));
  // What Sathi sends on WhatsApp (an officer's reply, or the template that invites a write-back), to a number or a user id.
  feed.addEventListener('whatsapp', parse((data) => {
    const phone = phones.get(data.to) ?? byUserId.get(data.to);
    if (!phone || typeof data.body !== 'string') return;
    const node = receive(phone, { from: whatsApp, to: data.to, body: data.body, at: data.at }, 'feed', 'whatsapp');
    if (data.template === true) node?.classList.add('template');
  }));
  feed.addEventListener('ring', parse(onRing));
  feed.addEventListener('ring-ended', parse(onRingEnded));
}

// ---- start

async function load() {
  $('retry').hidden = true;
  $('loading-text').textContent = 'Loading the phones...';
  try {
    const data = await get('/phones');
    hotline = typeof data?.hotline === 'string' ? data.hotline : '';
    ussdCode = typeof data?.ussd === 'string' && data.ussd ? data.ussd : null;
    whatsApp = typeof data?.whatsapp === 'string' && data.whatsapp ? data.whatsapp : null;
    phones.clear();
    byUserId.clear();
    for (const info of Array.isArray(data?.phones) ? data.phones : []) {
      if (info && typeof info.number === 'string' && !phones.has(info.number)) addPhone(info);
    }
    if (!phones.size) throw new Error('Sathi lists no simulated phones.');
  } catch (error) {
    showError(error.message);
    $('retry').hidden = false;
    $('loading-text').textContent = 'Could not load the phones.';
    return;
  }
  clearError();
  $('hotline').textContent = hotline || 'unknown';
  $('ussd-help').hidden = !ussdCode;
  $('ussd-help-code').textContent = ussdCode ?? '';
  $('whatsapp-help').hidden = !whatsApp;
  $('loading').hidden = true;
  $('workspace').hidden = false;
  fillPicker();
  const wanted = phones.get(params.get('phone') ?? '');
  select(wanted ?? [...phones.values()].find((p) => p.kind === 'reporter') ?? phones.values().next().value);
  connectEvents();
}

function init() {
  const fromUrl = params.has('mute') ? !['0', 'false', 'no'].includes(params.get('mute')) : null;
  $('mute').checked = initMute(fromUrl);
  $('mute').addEventListener('change', () => setMuted($('mute').checked));
  $('screen-clock').textContent = hhmm(new Date());

  buildKeypad();
  document.addEventListener('pointerdown', unlockAudio, { capture: true });
  document.addEventListener('keydown', (event) => {
    unlockAudio();
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable]')) return;
    if (KEYS.includes(event.key) && selected) {
      event.preventDefault();
      pressKey(event.key);
    }
  });

  $('phone-select').addEventListener('change', () => select(phones.get($('phone-select').value)));
  $('mode-sms').addEventListener('click', () => setMode('sms'));
  $('mode-call').addEventListener('click', () => setMode('call'));
  $('mode-ussd').addEventListener('click', () => setMode('ussd'));
  $('mode-whatsapp').addEventListener('click', () => setMode('whatsapp'));
  for (const id of ['wa-as-number', 'wa-as-user']) {
    $(id).addEventListener('change', () => {
      if (selected) selected.asUserId = $('wa-as-user').checked;
    });
  }
  $('ussd-dial').addEventListener('click', () => selected && ussdDial(selected));
  $('ussd-send').addEventListener('click', () => selected && ussdSend(selected));
  $('ussd-cancel').addEventListener('click', () => selected && ussdCancel(selected));
  $('ussd-input').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.isComposing) {
      event.preventDefault();
      if (selected) ussdSend(selected);
    }
  });

  $('sms-text').addEventListener('input', () => {
    $('sms-hint').textContent = segmentHint($('sms-text').value);
  });
  for (const [chat, c] of Object.entries(CHATS)) {
    $(c.box).addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendText(chat);
      }
    });
  }
  $('sms-send').addEventListener('click', () => sendText('sms'));
  $('wa-send').addEventListener('click', () => sendText('whatsapp'));

  $('call-start').addEventListener('click', () => {
    if (!selected) return;
    if (selected.mode === 'ussd') {
      if (selected.ussd.session === 'open') ussdSend(selected);
      else ussdDial(selected);
    } else if (selected.ring && !selected.leg) answerRing(selected, true);
    else startCall(selected);
  });
  $('call-end').addEventListener('click', () => {
    if (selected?.mode === 'ussd') ussdCancel(selected);
    else if (selected) hangUp(selected);
  });
  $('ring-answer').addEventListener('click', () => selected && answerRing(selected, true));
  $('ring-decline').addEventListener('click', () => selected && answerRing(selected, false));
  $('ring-notice-show').addEventListener('click', (event) => {
    select(phones.get(event.currentTarget.dataset.number), 'call');
  });
  $('record-mic').addEventListener('click', toggleMic);
  $('record-sample').addEventListener('click', sendSample);
  $('error-close').addEventListener('click', clearError);
  $('retry').addEventListener('click', load);

  load();
}

init();
