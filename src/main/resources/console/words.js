// Words for the codes the API sends. An unknown code is shown as it is.

const STATUS = { NEW: 'New', CLAIMED: 'Claimed', IN_PROGRESS: 'In progress', REFERRED: 'Referred', CLOSED: 'Closed' };
const KIND = { report: 'Report', handoff: 'Hand-off', voicemail: 'Voicemail' };
const CHANNEL = { sms: 'SMS', voice: 'Voice' };

/** The answers in the order the panel shows them, with their headings. */
export const ANSWER_FIELDS = [
  ['who', 'Who'], ['what', 'What'], ['danger', 'Danger now'], ['age', 'Age'], ['gender', 'Gender'],
  ['area', 'Area'], ['place', 'Place'], ['details', 'Details'], ['contact', 'Call-back consent'],
];

const languages = new Map();

export function setLanguages(list) {
  languages.clear();
  for (const { code, name } of list ?? []) languages.set(code, name);
}

const text = (value) => String(value ?? '');
const words = (code) => text(code).replace(/[_-]+/g, ' ');

export const statusText = (status) => STATUS[status] ?? text(status);
export const kindText = (kind) => KIND[kind] ?? text(kind);
export const channelText = (channel) => CHANNEL[channel] ?? text(channel);
// Officers read the queue in English: "Bengali (বাংলা)", so the name is clear even where the script's font is missing.
const english = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;
export const languageName = (code) => {
  const own = languages.get(code);
  let name = null;
  try {
    name = english && code ? english.of(code) : null;
  } catch {
    name = null;
  }
  if (name && own && name !== own) return `${name} (${own})`;
  return name ?? own ?? text(code);
};
export const flagText = words;
export const timelineKindText = words;
export const answerName = (key) => ANSWER_FIELDS.find(([k]) => k === key)?.[1] ?? words(key);
export const serviceKindText = (kind) => words(kind).replace(/^./, (c) => c.toUpperCase());
