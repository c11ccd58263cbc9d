// Sound for the simulated phones: prompts are spoken with speechSynthesis, <Play> clips play in an
// <audio> element, key tones and the ring tone come from Web Audio. Muting (remembered in
// localStorage) silences all of it: prompts are then only shown, and a caller's wait starts at once.

const STORE = 'sathi.simulator.muted';
const synth = typeof window.speechSynthesis === 'object' ? window.speechSynthesis : null;

let muted = false;
const queues = new Set(); // every live Prompts queue, so that muting can silence what is sounding

export function initMute(fromUrl) {
  if (fromUrl !== null) muted = fromUrl;
  else {
    try {
      muted = localStorage.getItem(STORE) === '1';
    } catch {
      muted = false;
    }
  }
  return muted;
}

export const isMuted = () => muted;

export function setMuted(value) {
  muted = Boolean(value);
  try {
    localStorage.setItem(STORE, muted ? '1' : '0');
  } catch {
    // storage refused (private window): the choice lasts for this page only
  }
  if (muted) for (const queue of queues) queue.silence();
}

// ---- voices

let voices = [];
let voicesReady = null;

function refreshVoices() {
  try {
    voices = synth ? synth.getVoices() : [];
  } catch {
    voices = [];
  }
}

/** Browsers load their voices late: wait for them once, at most a moment. */
function loadVoices() {
  if (!synth) return Promise.resolve();
  refreshVoices();
  if (voices.length) return Promise.resolve();
  voicesReady ??= new Promise((resolve) => {
    synth.addEventListener?.('voiceschanged', () => resolve(), { once: true });
    setTimeout(resolve, 800);
  }).then(refreshVoices);
  return voicesReady;
}

if (synth) {
  refreshVoices();
  synth.addEventListener?.('voiceschanged', refreshVoices);
}

const norm = (tag) => String(tag ?? '').replace(/_/g, '-').toLowerCase();

/** The voice for a BCP 47 tag: the exact one, else one of the same language (bn-BD for bn-IN). */
function voiceFor(language) {
  const want = norm(language);
  if (!want) return voices.find((v) => v.default) ?? voices[0] ?? null;
  const primary = want.split('-')[0];
  return (
    voices.find((v) => norm(v.lang) === want) ??
    voices.find((v) => norm(v.lang).split('-')[0] === primary) ??
    null
  );
}

// One utterance at a time is handed to the browser, so that stopping one leg's prompt (a hang-up,
// a key pressed over it) never cancels another phone's.
let speechLock = Promise.resolve();
const speaking = new Set(); // utterances must stay referenced until they end (Chrome drops them)

function speak(text, language, voice, handle) {
  const run = speechLock.then(
    () =>
      new Promise((resolve) => {
        if (handle.stopped || muted) {
          resolve('skipped');
          return;
        }
        const utterance = new SpeechSynthesisUtterance(text);
        if (language) utterance.lang = language;
        utterance.voice = voice;
        let done = false;
        let guard = null;
        const finish = (how) => {
          if (done) return;
          done = true;
          clearTimeout(guard);
          speaking.delete(utterance);
          handle.stop = null;
          resolve(how);
        };
        utterance.addEventListener('end', () => finish('done'));
        utterance.addEventListener('error', (event) =>
          finish(event.error === 'interrupted' || event.error === 'canceled' ? 'skipped' : 'failed'));
        handle.stop = () => {
          synth.cancel();
          finish('skipped');
        };
        // Some engines never say 'end': never let that hold the caller's wait forever.
        guard = setTimeout(() => {
          synth.cancel();
          finish('done');
        }, 5000 + text.length * 150);
        speaking.add(utterance);
        if (synth.paused) synth.resume();
        synth.speak(utterance);
      }),
  );
  speechLock = run.catch(() => {});
  return run;
}

function play(url, handle, onStart) {
  return new Promise((resolve) => {
    let audio;
    try {
      audio = new Audio(url);
    } catch {
      resolve('failed');
      return;
    }
    let done = false;
    let guard = null;
    const finish = (how) => {
      if (done) return;
      done = true;
      clearTimeout(guard);
      handle.stop = null;
      audio.pause();
      resolve(how);
    };
    const arm = (ms) => {
      clearTimeout(guard);
      guard = setTimeout(() => finish('done'), ms);
    };
    audio.addEventListener('ended', () => finish('done'));
    audio.addEventListener('error', () => finish('failed'));
    audio.addEventListener('playing', () => onStart());
    audio.addEventListener('loadedmetadata', () => {
      if (Number.isFinite(audio.duration)) arm(audio.duration * 1000 + 3000);
    });
    arm(20000); // until the clip says how long it is
    handle.stop = () => finish('skipped');
    const started = audio.play();
    if (started?.catch) started.catch(() => finish('failed'));
  });
}

/**
 * One call leg's prompts, sounded in order. add(item, mark) takes a heard item
 * ({kind:'say', text, language} or {kind:'play', url}) and a callback told its state:
 * 'now', 'done', 'muted', 'novoice', 'failed', 'skipped'.
 */
export class Prompts {
  constructor() {
    this.items = [];
    this.busy = false;
    this.waiters = [];
    this.handle = null;
    queues.add(this);
  }

  add(item, mark) {
    this.items.push({ item, mark });
    this.pump();
  }

  /** Resolves once everything added so far has been spoken or played (or skipped). */
  whenIdle() {
    if (!this.busy && !this.items.length) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops what is sounding; the rest is skipped (still shown, never heard). */
  skip() {
    for (const { mark } of this.items.splice(0)) mark('skipped');
    this.silence();
  }

  /** Stops only what is sounding now. */
  silence() {
    const handle = this.handle;
    if (handle) {
      handle.stopped = true;
      handle.stop?.();
    }
  }

  close() {
    this.skip();
    queues.delete(this);
  }

  async pump() {
    if (this.busy) return;
    this.busy = true;
    while (this.items.length) {
      const next = this.items.shift();
      const handle = { stopped: false, stop: null };
      this.handle = handle;
      try {
        next.mark(await this.sound(next, handle));
      } catch {
        next.mark('failed');
      }
      this.handle = null;
    }
    this.busy = false;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  async sound({ item, mark }, handle) {
    if (muted) return 'muted';
    if (item.kind === 'say') {
      if (!synth || !item.text) return 'novoice';
      await loadVoices();
      const voice = voiceFor(item.language);
      if (!voice) return 'novoice';
      if (handle.stopped || muted) return muted ? 'muted' : 'skipped';
      mark('now');
      return speak(item.text, item.language, voice, handle);
    }
    if (item.kind === 'play' && item.url) {
      mark('now');
      return play(item.url, handle, () => mark('now'));
    }
    return 'done';
  }
}

// ---- key tones and the ring tone

const DTMF = {
  1: [697, 1209], 2: [697, 1336], 3: [697, 1477],
  4: [770, 1209], 5: [770, 1336], 6: [770, 1477],
  7: [852, 1209], 8: [852, 1336], 9: [852, 1477],
  '*': [941, 1209], 0: [941, 1336], '#': [941, 1477],
};

let context = null;

/** Browsers allow sound only after a click or key press: call this from one. */
export function unlockAudio() {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') context.resume().catch(() => {});
  } catch {
    context = null;
  }
}

function tones(frequencies, start, length, volume) {
  const gain = context.createGain();
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.01);
  gain.gain.setValueAtTime(volume, start + length - 0.03);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
  gain.connect(context.destination);
  for (const frequency of frequencies) {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(start);
    tone.stop(start + length + 0.02);
  }
}

export function keyTone(key) {
  if (muted || !context || !DTMF[key]) return;
  tones(DTMF[key], context.currentTime + 0.01, 0.15, 0.08);
}

let ringTimer = null;

function ringOnce() {
  if (muted || !context) return;
  const start = context.currentTime + 0.05;
  tones([440, 480], start, 0.4, 0.12);
  tones([440, 480], start + 0.6, 0.4, 0.12);
}

/** The ring tone, every 3 seconds while some phone rings (and the page is not muted). */
export function setRinging(on) {
  if (on && !ringTimer) {
    ringOnce();
    ringTimer = setInterval(ringOnce, 3000);
  } else if (!on && ringTimer) {
    clearInterval(ringTimer);
    ringTimer = null;
  }
}
