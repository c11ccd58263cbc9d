// The new-urgent-report alarm: the #alert banner, a beep pattern from the Web Audio API and a
// flashing document title, until the officer opens the report or dismisses the banner.
import { $ } from './dom.js';

let audio = null;
let flashing = null;
let reference = null;
const title = document.title;

/** Browsers allow sound only after a click or key press: call this from one. */
export function unlockAudio() {
  try {
    audio ??= new AudioContext();
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch {
    audio = null; // no Web Audio here: the banner and title still alert
  }
}

function beep() {
  if (!audio) return;
  const play = () => {
    const start = audio.currentTime + 0.05;
    for (let i = 0; i < 6; i++) {
      const t = start + i * 0.25 + (i >= 3 ? 0.4 : 0); // two groups of three short tones
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
      tone.connect(gain).connect(audio.destination);
      tone.start(t);
      tone.stop(t + 0.18);
    }
  };
  audio.resume().then(play, () => {});
}

function flashTitle(text) {
  clearInterval(flashing);
  let on = true;
  document.title = text;
  flashing = setInterval(() => {
    on = !on;
    document.title = on ? text : title;
  }, 1000);
}

export function initAlert({ onOpen }) {
  $('alert-open').addEventListener('click', () => {
    const ref = reference;
    dismissAlert();
    if (ref) onOpen(ref);
  });
  $('alert-dismiss').addEventListener('click', dismissAlert);
}

export function raiseAlert(ref) {
  reference = ref;
  const banner = $('alert');
  banner.hidden = false;
  // Filled after it shows, so that screen readers announce it.
  $('alert-text').textContent = `New urgent report ${ref}`;
  beep();
  flashTitle(`(!) New urgent report ${ref}`);
}

export function dismissAlert() {
  reference = null;
  $('alert').hidden = true;
  $('alert-text').textContent = '';
  clearInterval(flashing);
  flashing = null;
  document.title = title;
}
