// The queue of open reports, most urgent first, as the server sorted it. Each row is a button
// that opens the report; ages and acknowledgement deadlines tick every second.
import { $, el, badge } from './dom.js';
import { age, ackDue } from './time.js';
import { statusText, kindText, channelText, languageName, flagText } from './words.js';

const rows = new Map(); // reference -> li
let selected = null;
let open = () => {};

export function initQueue(onOpen) {
  open = onOpen;
}

function row(report) {
  const li = el('li', { class: 'report', 'data-reference': report.reference, 'data-priority': report.priority });
  const flags = (report.flags ?? []).map((f) => el('span', { class: `flag${f === 'danger_now' ? ' flag-danger' : ''}` }, flagText(f)));
  const button = el('button', { type: 'button', class: 'report-open' },
    el('span', { class: 'row-line' },
      badge(report.priority),
      el('span', { class: 'reference' }, report.reference),
      el('span', { class: 'status' }, statusText(report.status))),
    el('span', { class: 'row-line row-meta' },
      [kindText(report.kind), channelText(report.channel), languageName(report.language)].join(' · ')),
    flags.length ? el('span', { class: 'row-line flags' }, ...flags) : null,
    el('span', { class: 'row-line row-meta' },
      el('span', { class: 'age', 'data-at': report.createdAt }),
      report.ackDeadline && !report.acknowledgedBy
        ? el('span', { class: 'deadline', 'data-due': report.ackDeadline }) : null,
      report.assignee ? el('span', { class: 'assignee' }, `Claimed by ${report.assignee}`) : null));
  button.addEventListener('click', () => open(report.reference));
  li.append(button);
  return li;
}

export function renderQueue(reports) {
  const focused = document.activeElement?.closest?.('#queue li.report')?.dataset.reference;
  rows.clear();
  for (const report of reports) rows.set(report.reference, row(report));
  $('queue').replaceChildren(...rows.values());
  $('queue-empty').hidden = reports.length > 0;
  $('queue-count').textContent = `(${reports.length})`;
  markSelected(selected);
  tickQueue();
  if (focused) rows.get(focused)?.querySelector('button').focus();
}

export function clearQueue() {
  rows.clear();
  $('queue').replaceChildren();
  $('queue-count').textContent = '';
  $('queue-empty').hidden = true;
}

/** Highlights the row of the report open in the panel (null for none). */
export function markSelected(reference) {
  selected = reference;
  for (const [ref, li] of rows) {
    li.classList.toggle('selected', ref === reference);
    const button = li.querySelector('button');
    if (ref === reference) button.setAttribute('aria-current', 'true');
    else button.removeAttribute('aria-current');
  }
}

export function tickQueue() {
  for (const li of rows.values()) {
    const ageNode = li.querySelector('.age');
    ageNode.textContent = age(ageNode.dataset.at);
    const deadline = li.querySelector('.deadline');
    if (deadline) showDeadline(deadline, ackDue(deadline.dataset.due));
  }
}

/** Writes a deadline into node: red "overdue" once past, nothing without one. */
export function showDeadline(node, due) {
  node.textContent = due ? due.text : '';
  node.classList.toggle('overdue', Boolean(due?.overdue));
}
