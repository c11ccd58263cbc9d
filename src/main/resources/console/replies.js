// Prepared replies (config/replies.yaml) in the reply form: the officer picks one by its meaning, in
// the console's language, sees the text the reporter will get in their own language with its SMS
// cost, and sends it. The server fills and sends the text itself ({"canned": id}); the page only
// shows it, as text.
import { api, reportPath } from './api.js';
import { $, el } from './dom.js';
import { languageName } from './words.js';

let post = null; // (button, body, done) => the answer, or null once the reason is shown (actions.js)
let loadedFor = null; // "REFERENCE lang": what the list on screen was loaded for
let loads = 0; // numbers the loads, so that only the newest one is drawn
let language = null; // the report's language: the texts are in it
const offered = new Map(); // id -> { id, meaning, text, available, segments, encoding, units, reason }

export function initReplies(actions) {
  post = actions.post;
  $('canned-choice').addEventListener('change', preview);
  $('canned-send').addEventListener('click', sendChosen);
}

/** The console's language: the page's own (the console's language choice sets it), English until then. */
function consoleLanguage() {
  return document.documentElement.lang || 'en';
}

/** Shows the picker when the officer may text this reporter their words; loads the list once per report and language. */
export function showReplies(report, reply) {
  const closed = report.status === 'CLOSED' || report.status === 'REFERRED';
  const usable = Boolean(reply?.allowed) && reply.by !== 'whatsapp-template' && !closed;
  if (!usable) {
    $('canned-picker').hidden = true;
    return;
  }
  const key = `${report.reference} ${consoleLanguage()}`;
  if (key !== loadedFor) load(report.reference, key);
  else $('canned-picker').hidden = offered.size === 0;
  $('canned-send').disabled = !offered.get($('canned-choice').value)?.available;
}

async function load(reference, key) {
  loadedFor = key;
  const mine = ++loads;
  try {
    const answer = await api('GET', `${reportPath(reference, 'replies')}?lang=${encodeURIComponent(consoleLanguage())}`);
    if (mine !== loads) return;
    const list = Array.isArray(answer.replies) ? answer.replies : [];
    language = answer.language ?? null;
    offered.clear();
    for (const r of list) offered.set(r.id, r);
    $('canned-choice').replaceChildren(el('option', { value: '' }, 'Choose one'),
      ...list.map((r) => el('option', { value: r.id, disabled: !r.available },
        r.available ? String(r.meaning) : `${r.meaning} (not in the reporter's language)`)));
    $('canned-status').textContent = '';
    $('canned-picker').hidden = list.length === 0;
  } catch (error) {
    if (mine !== loads) return;
    offered.clear();
    $('canned-choice').replaceChildren(el('option', { value: '' }, 'Choose one'));
    if (error.status !== 401) $('canned-status').textContent = `Prepared replies not loaded: ${error.message}`;
    $('canned-picker').hidden = false;
  }
  preview();
}

/** The chosen reply as the reporter will get it, and what it costs. */
function preview() {
  const chosen = offered.get($('canned-choice').value);
  const shown = Boolean(chosen?.available);
  $('canned-preview').hidden = !shown;
  $('canned-send').disabled = !shown;
  if (!shown) return;
  $('canned-language').textContent = `The reporter will get, in ${languageName(language)}:`;
  const text = $('canned-text');
  text.textContent = String(chosen.text);
  if (language) text.setAttribute('lang', language);
  $('canned-cost').textContent = `Cost: ${chosen.segments} SMS (${chosen.units} characters, ${chosen.encoding}).`;
}

async function sendChosen() {
  const chosen = offered.get($('canned-choice').value);
  if (!chosen?.available || !post) return;
  const sent = await post($('canned-send'), { canned: chosen.id },
    (a) => (a.by === 'whatsapp' ? 'Prepared reply sent on WhatsApp.'
      : Number.isFinite(a.segments) ? `Prepared reply sent (${a.segments} SMS).` : 'Prepared reply sent.'));
  if (sent) {
    $('canned-choice').value = '';
    preview();
  }
}

/** Another report is opening, or none: forget this one's list. */
export function resetReplies() {
  loadedFor = null;
  loads += 1;
  offered.clear();
  language = null;
  $('canned-choice').replaceChildren();
  $('canned-status').textContent = '';
  $('canned-picker').hidden = true;
  preview();
}
