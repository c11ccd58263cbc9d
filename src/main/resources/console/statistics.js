// The statistics page, for supervisors and analysts: one ended month or quarter, reports by sex
// and age band and by form of exploitation, drawn here as inline SVG (no chart library, nothing
// loaded from anywhere else), each with a table of the same values; how complete the reports are;
// the frameworks' CSV files; and, for a supervisor, the exact counts (audited, never for publishing).
//
// Every value comes from the server already under the disclosure rules: {count: n} or
// {suppressed: true}. A suppressed value is drawn as a hatched grey bar labelled "<11", never as a number.
import { api } from './api.js';
import { $, el } from './dom.js';

// English labels; the console's catalog replaces them.
const WORDS = {
  quarters: 'Quarters',
  months: 'Months',
  inProgress: (label) => `${label} (in progress)`,
  loading: 'Loading...',
  suppressed: '<11',
  total: 'Total',
  reports: 'Reports',
  sexByAge: 'Sex \\ age band',
  exploitation: 'Form of exploitation',
  provisional: 'Provisional: this period has not ended, so these numbers will still change. Do not publish them.',
  exact: 'Exact counts, for your own work only: not for publishing. Small numbers can identify a child. This view is recorded in the audit log.',
  downloads: 'The downloads always have the published values, never the exact ones.',
  noReports: 'No reports were received in this period.',
  completeness: (share) => `${Math.round(share * 100)}% of reports`,
  chartSex: 'Bar chart of reports by sex and age band',
  chartExploitation: 'Bar chart of reports by form of exploitation',
};
const SEX = { female: 'Female', male: 'Male', unknown: 'Sex not known' };
const AGE = { unknown: 'Age not known' };
const EXPLOITATION = {
  ChildLabour: 'Child labour', ForcedAdoption: 'Forced adoption', ForcedBegging: 'Forced begging', ForcedLabour: 'Forced labour',
  ForcedMarriage: 'Forced marriage', ForcedMilitaryByNonStateActors: 'Forced military service (non-state)', OrganRemoval: 'Organ removal',
  Servitude: 'Servitude', SexualExploitation: 'Sexual exploitation', Surrogacy: 'Surrogacy', Other: 'Other', unknown: 'Not said',
};
const COMPLETENESS = { sex: 'Sex', ageBand: 'Age band', exploitation: 'Form of exploitation', origin: 'Place of origin' };

const label = (words, key) => words[key] ?? String(key);
const sexLabel = (key) => label(SEX, key);
const ageLabel = (key) => label(AGE, key);
const exploitationLabel = (key) => label(EXPLOITATION, key);

let me = () => null;
let generation = 0; // bumped by each load and by clear: a late answer for an older choice is dropped

/** ctx: me() the session, show() shows this page, back() the queue. */
export function initStatistics(ctx) {
  me = ctx.me;
  $('stats-open').addEventListener('click', () => {
    ctx.show();
    openStatistics();
  });
  $('stats-close').addEventListener('click', () => {
    clearStatistics();
    ctx.back();
  });
  $('stats-period').addEventListener('change', load);
  $('stats-exact').addEventListener('change', load);
}

/** Shows the page for the session's role (an analyst has no queue to go back to) and loads the chosen period. */
export function openStatistics() {
  const session = me();
  const analyst = session?.role === 'analyst';
  $('stats-close').hidden = analyst;
  $('stats-exact-field').hidden = session?.role !== 'supervisor';
  if (analyst || session?.role !== 'supervisor') $('stats-exact').checked = false;
  if ($('stats-period').options.length === 0) fillPeriods(new Date());
  $('stats-heading').focus();
  load();
}

export function clearStatistics() {
  generation += 1;
  $('stats-exact').checked = false;
  $('stats-period').replaceChildren();
  show(null, null);
  $('stats-error').textContent = '';
}

// ---- the periods: months and quarters in UTC, as the server counts them

const pad = (n) => String(n).padStart(2, '0');

/** The last 4 ended quarters and 12 ended months, and the current ones (the server refuses them unless it allows open periods). */
function fillPeriods(now) {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth(); // 0-11
  const quarters = [];
  for (let back = 0; back <= 4; back++) {
    const q = Math.floor(month / 3) - back;
    const y = year + Math.floor(q / 4);
    const n = ((q % 4) + 4) % 4 + 1;
    quarters.push({ value: `${y}-Q${n}`, current: back === 0 });
  }
  const months = [];
  for (let back = 0; back <= 12; back++) {
    const d = new Date(Date.UTC(year, month - back, 1));
    months.push({ value: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`, current: back === 0 });
  }
  const option = ({ value, current }) => el('option', { value }, current ? WORDS.inProgress(value) : value);
  $('stats-period').replaceChildren(
    el('optgroup', { label: WORDS.quarters }, ...quarters.map(option)),
    el('optgroup', { label: WORDS.months }, ...months.map(option)));
  $('stats-period').value = quarters[1].value; // the last quarter that has ended
}

// ---- loading

async function load() {
  const mine = ++generation;
  const period = $('stats-period').value;
  const exact = $('stats-exact').checked && me()?.role === 'supervisor';
  const query = (dims) => `/api/statistics?period=${encodeURIComponent(period)}&${dims}${exact ? '&exact=true' : ''}`;
  $('stats-error').textContent = WORDS.loading;
  try {
    const [bySex, byExploitation] = await Promise.all([
      api('GET', query('rows=sex&cols=ageBand')),
      api('GET', query('rows=exploitation')),
    ]);
    if (mine !== generation) return;
    $('stats-error').textContent = '';
    show(bySex, byExploitation);
    setDownloads(period);
  } catch (error) {
    if (mine !== generation) return;
    show(null, null);
    $('stats-error').textContent = error.status === 401 ? '' : error.message;
  }
}

function show(bySex, byExploitation) {
  const page = $('stats-page');
  const shown = bySex !== null && byExploitation !== null;
  const exact = shown && bySex.exact === true;
  page.classList.toggle('stats-exact', exact);
  $('stats-exact-note').textContent = exact ? WORDS.exact : '';
  $('stats-exact-note').hidden = !exact;
  $('stats-provisional').textContent = shown && bySex.provisional ? WORDS.provisional : '';
  $('stats-provisional').hidden = !(shown && bySex.provisional);
  $('stats-results').hidden = !shown;
  $('stats-downloads').hidden = !shown;
  if (!shown) {
    for (const id of ['stats-sex-chart', 'stats-sex-table', 'stats-exploitation-chart', 'stats-exploitation-table', 'stats-completeness']) {
      $(id).replaceChildren();
    }
    return;
  }
  $('stats-empty').hidden = value(bySex.total).height !== 0;
  $('stats-sex-chart').replaceChildren(columns(bySex, sexLabel, ageLabel, 'stats-hatch-sex', WORDS.chartSex));
  $('stats-sex-table').replaceChildren(table(bySex, WORDS.sexByAge, sexLabel, ageLabel));
  $('stats-exploitation-chart').replaceChildren(bars(byExploitation, exploitationLabel, 'stats-hatch-exploitation', WORDS.chartExploitation));
  $('stats-exploitation-table').replaceChildren(table(byExploitation, WORDS.exploitation, exploitationLabel, () => WORDS.reports));
  $('stats-completeness').replaceChildren(...completeness(bySex.completeness ?? {}));
}

function setDownloads(period) {
  for (const format of ['chi', 'unodc', 'htcds']) {
    $(`stats-csv-${format}`).setAttribute('href', `/api/statistics/export?format=${format}&period=${encodeURIComponent(period)}`);
  }
}

// ---- values

/** A published value as drawn: its text, the height of its bar (a suppressed one is drawn 10 high), and whether it is suppressed. */
function value(v) {
  if (v && v.suppressed === true) return { text: WORDS.suppressed, height: 10, suppressed: true };
  const n = Number(v?.count ?? 0);
  return { text: String(n), height: n, suppressed: false };
}

/** A scale from 0 to a round number at or above max, with its step: 4 or 5 lines. */
function scale(max) {
  const raw = Math.max(max, 10) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return { step, top: Math.max(step, Math.ceil(Math.max(max, 10) / step) * step) };
}

// ---- SVG, built as the rest of the page is: elements and text nodes, never markup

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, v] of Object.entries(attrs)) {
    if (/^on/i.test(name)) throw new Error(`Refusing event attribute ${name}`);
    if (v === null || v === undefined || v === false) continue;
    node.setAttribute(name, String(v));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** The hatching of a suppressed bar; its id is one chart's own. */
function hatch(id) {
  return svg('defs', {},
    svg('pattern', { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 6, height: 6, fill: '#e3e6ea' }),
      svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#8a939c', 'stroke-width': 3 })));
}

/** One bar: a shown count in its series' colour, a suppressed one hatched grey; with its value above or beside it. */
function bar({ x, y, width, height, v, series, row, col, labelX, labelY, anchor, hatchId }) {
  const g = svg('g', { class: 'stats-bar-group' });
  const rect = svg('rect', {
    x, y, width: Math.max(width, 0), height: Math.max(height, 0),
    class: v.suppressed ? 'stats-bar stats-suppressed' : `stats-bar stats-series-${series}`,
    fill: v.suppressed ? `url(#${hatchId})` : null,
    'data-row': row, 'data-col': col, 'data-value': v.text,
  });
  rect.append(svg('title', {}, `${row}, ${col}: ${v.text}`));
  g.append(rect, svg('text', {
    x: labelX, y: labelY, 'text-anchor': anchor,
    class: v.suppressed ? 'stats-value stats-suppressed-label' : 'stats-value',
  }, v.text));
  return g;
}

/** Grouped columns: one group per column key (age band), one bar per row key (sex) in each, and a legend. */
function columns(t, rowLabel, colLabel, hatchId, title) {
  const rows = t.rowKeys ?? [];
  const cols = t.colKeys ?? [];
  const values = rows.map((_, r) => cols.map((__, c) => value(t.cells?.[r]?.[c])));
  const { step, top } = scale(Math.max(0, ...values.flat().map((v) => v.height)));
  const W = 760;
  const H = 320;
  const left = 44;
  const right = 8;
  const topPad = 36;
  const bottom = 40;
  const plotW = W - left - right;
  const plotH = H - topPad - bottom;
  const groupW = plotW / Math.max(cols.length, 1);
  const barW = (groupW * 0.8) / Math.max(rows.length, 1);
  const y = (n) => topPad + plotH - (n / top) * plotH;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'stats-chart', role: 'img', 'aria-label': title }, hatch(hatchId));
  for (let n = 0; n <= top; n += step) {
    chart.append(svg('line', { x1: left, x2: W - right, y1: y(n), y2: y(n), class: 'stats-grid' }),
      svg('text', { x: left - 6, y: y(n) + 4, 'text-anchor': 'end', class: 'stats-axis' }, String(n)));
  }
  cols.forEach((col, c) => {
    const x0 = left + c * groupW + groupW * 0.1;
    rows.forEach((row, r) => {
      const v = values[r][c];
      const x = x0 + r * barW;
      chart.append(bar({
        x: x + 1, y: y(v.height), width: barW - 2, height: y(0) - y(v.height), v, series: r, row: rowLabel(row), col: colLabel(col),
        labelX: x + barW / 2, labelY: y(v.height) - 4, anchor: 'middle', hatchId,
      }));
    });
    chart.append(svg('text', { x: left + c * groupW + groupW / 2, y: H - bottom + 18, 'text-anchor': 'middle', class: 'stats-axis' }, colLabel(col)));
  });
  // The legend, above the plot: the colour of each row key, and what a hatched bar means.
  let lx = left;
  rows.forEach((row, r) => {
    chart.append(svg('rect', { x: lx, y: 8, width: 14, height: 14, class: `stats-series-${r}` }),
      svg('text', { x: lx + 20, y: 20, class: 'stats-legend' }, rowLabel(row)));
    lx += 30 + rowLabel(row).length * 8;
  });
  if (values.flat().some((v) => v.suppressed)) {
    chart.append(svg('rect', { x: lx, y: 8, width: 14, height: 14, fill: `url(#${hatchId})` }),
      svg('text', { x: lx + 20, y: 20, class: 'stats-legend' }, WORDS.suppressed));
  }
  return chart;
}

/** Horizontal bars, one per row key of a one-dimensional table (form of exploitation). */
function bars(t, rowLabel, hatchId, title) {
  const rows = t.rowKeys ?? [];
  const values = rows.map((_, r) => value(t.cells?.[r]?.[0]));
  const { step, top } = scale(Math.max(0, ...values.map((v) => v.height)));
  const W = 760;
  const left = 250;
  const right = 48;
  const rowH = 26;
  const topPad = 8;
  const H = topPad + rows.length * rowH + 24;
  const plotW = W - left - right;
  const x = (n) => left + (n / top) * plotW;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'stats-chart', role: 'img', 'aria-label': title }, hatch(hatchId));
  for (let n = 0; n <= top; n += step) {
    chart.append(svg('line', { x1: x(n), x2: x(n), y1: topPad, y2: H - 20, class: 'stats-grid' }),
      svg('text', { x: x(n), y: H - 6, 'text-anchor': 'middle', class: 'stats-axis' }, String(n)));
  }
  rows.forEach((row, r) => {
    const v = values[r];
    const y0 = topPad + r * rowH;
    chart.append(svg('text', { x: left - 8, y: y0 + rowH / 2 + 4, 'text-anchor': 'end', class: 'stats-axis' }, rowLabel(row)),
      bar({
        x: left, y: y0 + 4, width: x(v.height) - left, height: rowH - 8, v, series: 0, row: rowLabel(row), col: WORDS.reports,
        labelX: x(v.height) + 6, labelY: y0 + rowH / 2 + 4, anchor: 'start', hatchId,
      }));
  });
  return chart;
}

// ---- the tables and the completeness panel

/** The same values as the chart: cells, each row's total, each column's total and the grand total. */
function table(t, corner, rowLabel, colLabel) {
  const rows = t.rowKeys ?? [];
  const cols = t.cols ? t.colKeys ?? [] : [];
  const td = (v) => {
    const shown = value(v);
    return el('td', { class: shown.suppressed ? 'stats-suppressed-cell' : null }, shown.text);
  };
  const head = el('tr', {}, el('th', { scope: 'col' }, corner), ...cols.map((c) => el('th', { scope: 'col' }, colLabel(c))),
    el('th', { scope: 'col' }, t.cols ? WORDS.total : WORDS.reports));
  const body = rows.map((row, r) => el('tr', {}, el('th', { scope: 'row' }, rowLabel(row)),
    ...cols.map((_, c) => td(t.cells?.[r]?.[c])), td(t.rowTotals?.[r])));
  const totals = el('tr', { class: 'stats-total' }, el('th', { scope: 'row' }, WORDS.total),
    ...cols.map((_, c) => td(t.colTotals?.[c])), td(t.total));
  return el('div', { class: 'table-scroll' }, el('table', { class: 'stats-table' }, el('thead', {}, head), el('tbody', {}, ...body, totals)));
}

function completeness(shares) {
  return Object.keys(COMPLETENESS).filter((k) => typeof shares[k] === 'number').map((k) => el('div', { class: 'stats-share' },
    el('dt', {}, COMPLETENESS[k]),
    el('dd', {}, el('meter', { min: 0, max: 1, value: shares[k] }), ' ', WORDS.completeness(shares[k]))));
}
