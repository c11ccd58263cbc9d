// About how many SMS a reply takes: GSM-7 text fits 160 characters (153 a part once split),
// anything else is sent as UCS-2 with 70 (67 a part).

const GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡'
  + 'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f'; // each takes two places

export function smsParts(text) {
  let gsm = 0;
  for (const ch of text) {
    if (GSM.includes(ch)) gsm += 1;
    else if (GSM_EXTENDED.includes(ch)) gsm += 2;
    else return parts(text.length, 70, 67);
  }
  return parts(gsm, 160, 153);
}

function parts(units, single, part) {
  if (units === 0) return 0;
  return units <= single ? 1 : Math.ceil(units / part);
}
