// The supervisors' audit log: the newest 200 entries, newest first.
import { api } from './api.js';
import { $, el } from './dom.js';
import { dateTime } from './time.js';

const cell = (value) => el('td', {}, String(value ?? ''));

export async function loadAudit() {
  $('audit-error').textContent = 'Loading...';
  try {
    const { entries = [] } = await api('GET', '/api/audit?limit=200');
    $('audit-rows').replaceChildren(...entries.map((e) => el('tr', {},
      el('td', {}, el('time', { datetime: e.at }, dateTime(e.at))),
      cell(e.officer), cell(e.action), cell(e.reference), cell(e.outcome))));
    $('audit-error').textContent = entries.length ? '' : 'The audit log is empty.';
  } catch (error) {
    if (error.status !== 401) $('audit-error').textContent = error.message;
  }
}

export function clearAudit() {
  $('audit-rows').replaceChildren();
  $('audit-error').textContent = '';
}
