// Clock times, ages and acknowledgement deadlines. Ages and deadlines use the server's clock when
// its Date header shows the officer's computer is more than a couple of seconds off.

let offset = 0; // server clock minus this computer's clock, in milliseconds

export function noteServerDate(header) {
  const server = Date.parse(header ?? '');
  if (Number.isNaN(server)) return;
  const skew = server - Date.now();
  // The header has whole seconds only: ignore differences that small.
  if (Math.abs(skew - offset) > 2000) offset = skew;
}

const now = () => Date.now() + offset;
const pad = (n) => String(n).padStart(2, '0');

function parse(iso) {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? null : t;
}

/** Local time as HH:MM. */
export function clock(iso) {
  const t = parse(iso);
  if (t === null) return '';
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local date and time as YYYY-MM-DD HH:MM, for the audit log. */
export function dateTime(iso) {
  const t = parse(iso);
  if (t === null) return '';
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(iso)}`;
}

/** "just now", "4 min ago", "2 h 5 min ago", "3 days ago". */
export function age(iso) {
  const t = parse(iso);
  if (t === null) return '';
  const minutes = Math.floor(Math.max(0, now() - t) / 60000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

function duration(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** {text: "ack due in 3:12" | "overdue 1:05", overdue}, or null without a deadline. */
export function ackDue(iso) {
  const t = parse(iso);
  if (t === null) return null;
  const ms = t - now();
  return ms >= 0
    ? { text: `ack due in ${duration(Math.ceil(ms / 1000))}`, overdue: false }
    : { text: `overdue ${duration(Math.floor(-ms / 1000))}`, overdue: true };
}
