// How many SMS segments a text takes: GSM 7-bit texts fit 160 characters (153 per part when
// split), anything else (Bengali, Burmese, Khmer, Thai, emoji...) is UCS-2: 70 (67 per part).

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

export function segments(text) {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) septets += 1;
    else if (GSM_EXTENDED.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const parts = septets <= 160 ? 1 : Math.ceil(septets / 153);
    return { length: septets, parts, perPart: parts === 1 ? 160 : 153, encoding: 'GSM' };
  }
  let units = 0;
  for (const ch of text) units += ch.length; // UTF-16 code units; astral characters take two
  const parts = units <= 70 ? 1 : Math.ceil(units / 67);
  return { length: units, parts, perPart: parts === 1 ? 70 : 67, encoding: 'Unicode' };
}

/** "12 / 160 characters, 1 SMS" */
export function segmentHint(text) {
  if (!text) return '';
  const s = segments(text);
  const where = s.parts === 1 ? `${s.length} / ${s.perPart}` : `${s.length} characters`;
  return `${where}${s.encoding === 'Unicode' ? ' (Unicode)' : ''}, ${s.parts} SMS`;
}
