import { HashTable } from './marker-scan.ts';

/**
 * Language guess from scripts and stop words: cheap, good enough to tell the main languages apart for
 * routing (some small models answer well only in English). Returns an ISO 639-1 code or `und`.
 */

const SCRIPT_RANGES: Array<[number, number, string]> = [
  [0x0400, 0x04ff, 'ru'],
  [0x0600, 0x06ff, 'ar'],
  [0x0900, 0x097f, 'hi'],
  [0x0590, 0x05ff, 'he'],
  [0x0e00, 0x0e7f, 'th'],
  [0x0370, 0x03ff, 'el'],
  [0x3040, 0x30ff, 'ja'],
  [0xac00, 0xd7af, 'ko'],
  [0x4e00, 0x9fff, 'zh'],
];

const STOP_WORDS: Record<string, readonly string[]> = {
  en: [
    'the',
    'and',
    'is',
    'of',
    'to',
    'in',
    'what',
    'which',
    'that',
    'for',
    'with',
    'this',
    'are',
    'a',
    'an',
    'it',
    'you',
    'about',
    'how',
    'on',
    'be',
    'write',
    'i',
    'my',
    'me',
    'can',
    'do',
    'please',
    'your',
    'from',
    'have',
    'will',
    'if',
    'at',
    'or',
    'by',
    'not',
    'just',
    'give',
  ],
  es: [
    'el',
    'la',
    'de',
    'que',
    'y',
    'en',
    'los',
    'las',
    'por',
    'para',
    'una',
    'es',
    'con',
    'un',
    'del',
    'al',
    'lo',
    'se',
    'mi',
    'yo',
    'tu',
    'muy',
    'pero',
    'está',
    'estoy',
    'cómo',
    'qué',
    'hay',
    'este',
    'esta',
    'su',
    'sobre',
    'puedo',
    'hola',
  ],
  fr: [
    'le',
    'la',
    'les',
    'de',
    'et',
    'est',
    'des',
    'une',
    'que',
    'pour',
    'dans',
    'pas',
    'avec',
    'je',
    'tu',
    'vous',
    'nous',
    'il',
    'un',
    'du',
    'au',
    'aux',
    'ce',
    'cette',
    'ces',
    'sur',
    'mais',
    'ou',
    'très',
    'ça',
    'mon',
    'ma',
    'suis',
    'comment',
    'pourquoi',
    'quelle',
    'quel',
  ],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'nicht',
    'ein',
    'eine',
    'zu',
    'mit',
    'den',
    'von',
    'auf',
    'ich',
    'du',
    'wir',
    'sie',
    'es',
    'bin',
    'im',
    'dem',
    'des',
    'auch',
    'für',
    'sich',
    'aber',
    'wie',
    'was',
    'mir',
    'dir',
    'bitte',
    'sehr',
    'diesen',
    'ins',
    'kannst',
  ],
  pt: ['o', 'a', 'de', 'que', 'e', 'do', 'da', 'em', 'um', 'para', 'com', 'não', 'uma', 'os', 'você', 'são', 'muito', 'foi', 'ao', 'pela', 'pelo'],
  it: ['il', 'di', 'che', 'e', 'la', 'per', 'un', 'non', 'sono', 'della', 'con', 'una', 'gli', 'è', 'questo', 'ciao', 'molto', 'perché'],
  nl: ['de', 'het', 'een', 'en', 'van', 'is', 'dat', 'niet', 'op', 'te', 'met', 'voor', 'zijn', 'ik', 'je', 'wat', 'hoe'],
};

/** Letters that only some of the languages above use: each one adds a vote. */
const LETTER_HINTS: Record<number, string> = {
  0xf1: 'es', // ñ
  0xbf: 'es', // ¿
  0xa1: 'es', // ¡
  0xdf: 'de', // ß
  0xe4: 'de', // ä
  0xf6: 'de', // ö
  0xfc: 'de', // ü
  0xe7: 'fr', // ç
  0xe8: 'fr', // è
  0xea: 'fr', // ê
  0xe2: 'fr', // â
  0xe3: 'pt', // ã
  0xf5: 'pt', // õ
};

const STOP_LANGS = Object.keys(STOP_WORDS);
/** Stop-word hash → bit mask of the languages it belongs to (looked up while scanning, no word strings). */
const STOP_TABLE = new HashTable(256);
STOP_LANGS.forEach((lang, k) => {
  for (const w of STOP_WORDS[lang]!) STOP_TABLE.or(stopHash(w), 1 << k);
});

function isStopChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 0xe0 && c <= 0xff);
}

function stopHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Stop-word votes per language over lowercased [a-zà-ÿ] words; a word in k languages gives each 1/k. */
function stopWordVotes(sample: string, votes: Float64Array): void {
  let h = 0x811c9dc5;
  let inWord = false;
  for (let i = 0; i <= sample.length; i++) {
    let c = i < sample.length ? sample.charCodeAt(i) : 32;
    if ((c >= 65 && c <= 90) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)) c += 32;
    if (isStopChar(c)) {
      h = Math.imul(h ^ c, 0x01000193);
      inWord = true;
    } else if (inWord) {
      let mask = STOP_TABLE.get(h | 0);
      if (mask !== 0) {
        let k = 0;
        for (let m = mask; m !== 0; m >>>= 1) if (m & 1) k++;
        for (let j = 0; mask !== 0; j++, mask >>>= 1) if (mask & 1) votes[j]! += 1 / k;
      }
      h = 0x811c9dc5;
      inWord = false;
    }
  }
}

const SAMPLE_CHARS = 512;

export function guessLanguage(text: string): string {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const scriptCounts = new Map<string, number>();
  let letters = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      letters++;
      continue;
    }
    if (c < 0x0370) continue;
    for (const [lo, hi, lang] of SCRIPT_RANGES) {
      if (c >= lo && c <= hi) {
        scriptCounts.set(lang, (scriptCounts.get(lang) ?? 0) + 1);
        break;
      }
    }
  }
  let bestScript = '';
  let bestScriptCount = 0;
  for (const [lang, n] of scriptCounts) {
    if (n > bestScriptCount) {
      bestScript = lang;
      bestScriptCount = n;
    }
  }
  // Kana marks Japanese even when most characters are Han.
  if (bestScript === 'zh' && (scriptCounts.get('ja') ?? 0) > 0) bestScript = 'ja';
  // CJK characters carry more meaning each, so they win against fewer Latin letters.
  if (bestScriptCount * 3 > letters) return bestScript;
  if (letters === 0) return 'und';

  const votes = new Float64Array(STOP_LANGS.length);
  stopWordVotes(sample, votes);
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0xa1 || c > 0xff) continue;
    const hint = LETTER_HINTS[c | (c >= 0xc0 && c <= 0xde ? 0x20 : 0)];
    if (hint !== undefined) votes[STOP_LANGS.indexOf(hint)]! += 1;
  }
  let best = 'en';
  let bestVotes = 0;
  STOP_LANGS.forEach((lang, k) => {
    if (votes[k]! > bestVotes) {
      best = lang;
      bestVotes = votes[k]!;
    }
  });
  return best;
}
