// The live feed: one EventSource on /api/events; #live shows whether it is connected. When the
// browser gives up on it, the session is checked and the feed opened again.
import { $ } from './dom.js';

let source = null;
let retry = null;
let generation = 0; // bumped by start and stop, so a late retry from an old feed does nothing
let lost = false; // the feed dropped since it last opened: events may have been missed

function show(text, up) {
  const live = $('live');
  live.textContent = text;
  live.classList.toggle('live-up', up);
  live.classList.toggle('live-down', !up);
}

/** handlers: onReport(data), onEnded(), onResync() after a drop, checkSession() (rejects on 401). */
export function startLive(handlers) {
  stopLive();
  connect(handlers, generation);
}

export function stopLive() {
  generation += 1;
  clearTimeout(retry);
  source?.close();
  source = null;
  lost = false;
}

function connect(handlers, mine) {
  const feed = new EventSource('/api/events');
  source = feed;
  show('Connecting...', false);
  feed.addEventListener('open', () => {
    show('Live', true);
    if (lost) {
      lost = false;
      handlers.onResync();
    }
  });
  feed.addEventListener('error', () => {
    if (mine !== generation) return;
    show('Reconnecting...', false);
    lost = true;
    if (feed.readyState === EventSource.CLOSED) retry = setTimeout(() => recover(handlers, mine), 5000);
  });
  feed.addEventListener('report', (event) => {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (data && typeof data.reference === 'string') handlers.onReport(data);
  });
  feed.addEventListener('ended', () => {
    stopLive();
    handlers.onEnded();
  });
}

async function recover(handlers, mine) {
  try {
    await handlers.checkSession();
    if (mine === generation) connect(handlers, mine);
  } catch (error) {
    if (error.status !== 401 && mine === generation) retry = setTimeout(() => recover(handlers, mine), 10000);
  }
}
