import { hashUniform, mulberry32 } from './hash.ts';

/**
 * Text of simulated answers. Free text is cut from one precomputed pool of filler sentences so a
 * request costs a slice, not a generation loop. Everything is a pure function of its inputs.
 */

/** Tokens are approximated as ceil(chars / 4) everywhere in the simulator (usage and lengths). */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const WORDS = (
  'the model answer request simulated response token value result system data user example ' +
  'first second because therefore however which shows that this gives a an of to in for on with ' +
  'each step check case input output list number text function query reason point note detail ' +
  'clear short simple final useful likely correct approach method summary part key fact'
).split(' ');

const POOL_WORDS = 24_000;

function buildFillerPool(): string {
  const rand = mulberry32(20_240_501);
  const sentences: string[] = [];
  let words = 0;
  while (words < POOL_WORDS) {
    const len = 8 + Math.floor(rand() * 10);
    const parts: string[] = [];
    for (let i = 0; i < len; i++) parts.push(WORDS[Math.floor(rand() * WORDS.length)]!);
    const first = parts[0]!;
    parts[0] = first.charAt(0).toUpperCase() + first.slice(1);
    sentences.push(`${parts.join(' ')}.`);
    words += len;
  }
  return sentences.join(' ');
}

const FILLER_POOL = buildFillerPool();

/** About `chars` characters of filler sentences, chosen by the hash of `parts`. */
export function fillerText(chars: number, ...parts: Array<string | number>): string {
  if (chars <= 0) return '';
  let out = '';
  let round = 0;
  while (out.length < chars) {
    const need = Math.min(chars - out.length, FILLER_POOL.length - 200);
    let start = Math.floor(hashUniform(...parts, round) * (FILLER_POOL.length - need - 100));
    const sentenceStart = FILLER_POOL.indexOf('. ', start);
    start = sentenceStart === -1 ? 0 : sentenceStart + 2;
    let end = start + need;
    const space = FILLER_POOL.indexOf(' ', end);
    end = space === -1 ? FILLER_POOL.length : space;
    out += (out ? ' ' : '') + FILLER_POOL.slice(start, end);
    round++;
  }
  return out;
}

/** Options letters (A, B, …) of the last multiple-choice question in the prompt, if it has one. */
export function multipleChoiceLetters(prompt: string): string[] | undefined {
  const tail = prompt.length > 1_500 ? prompt.slice(-1_500) : prompt;
  let lastA = -1;
  for (const m of tail.matchAll(/(?:^|\n)\s*\(?A[).:]\s/g)) lastA = m.index;
  if (lastA === -1) return undefined;
  const found = new Set<string>();
  for (const m of tail.slice(lastA).matchAll(/(?:^|\n)\s*\(?([A-J])[).:]\s/g)) found.add(m[1]!);
  const letters: string[] = [];
  for (let code = 65; found.has(String.fromCharCode(code)); code++) letters.push(String.fromCharCode(code));
  return letters.length >= 2 ? letters : undefined;
}

/** Whether the prompt asks for the bare letter (benchmark style) rather than a sentence. */
export function wantsBareLetter(prompt: string): boolean {
  return /without explanation|single (letter|choice)|only the letter|answer with the letter/i.test(prompt) || /answer:\s*$/i.test(prompt);
}

/**
 * What a prompt's correct answer is keyed on: the last multiple-choice block (from its "A)" line to the
 * end), else the last sentence ending in "?", else the whole prompt. A prompt that restates the
 * question (re-reading, a pipeline's added context) keeps the same correct answer, so graded
 * techniques are compared on the same key.
 */
export function questionKey(prompt: string): string {
  let lastA = -1;
  for (const m of prompt.matchAll(/(?:^|\n)\s*\(?A[).:]\s/g)) lastA = m.index;
  if (lastA !== -1) return prompt.slice(lastA).trim();
  const questions = prompt.match(/[^.?!\n]*\?/g);
  return questions ? questions[questions.length - 1]!.trim() : prompt;
}

/** The letter every "good" simulated model picks for a prompt: shared across models, so answers agree. */
export function goodLetter(letters: readonly string[], seed: number, prompt: string): string {
  return letters[Math.floor(hashUniform(seed, 'mc', prompt) * letters.length)]!;
}

/** A letter other than `correct`, chosen per model and sample. */
export function wrongLetter(letters: readonly string[], correct: string, ...parts: Array<string | number>): string {
  const others = letters.filter((l) => l !== correct);
  if (others.length === 0) return correct;
  return others[Math.floor(hashUniform('mc-wrong', ...parts) * others.length)]!;
}

/** First letter of a recorded answer like "B", "B) dry palms" or "(C)". */
export function letterOfResponse(response: string): string | undefined {
  return /^\s*\(?([A-J])\b/.exec(response)?.[1];
}

export function multipleChoiceText(letter: string, bare: boolean, model: string, fillerChars: number, ...parts: Array<string | number>): string {
  if (bare) return letter;
  return `The answer is ${letter}. ${fillerText(fillerChars, model, ...parts)}`;
}

/** The correct value of a simulated maths question (the same for every model and sample). */
export function mathAnswer(seed: number, question: string): number {
  return 2 + Math.floor(hashUniform(seed, 'math', question) * 997);
}

export function mathText(good: boolean, model: string, fillerChars: number, seed: number, prompt: string, sample: number, question = prompt): string {
  const correct = mathAnswer(seed, question);
  const value = good ? correct : correct + 1 + Math.floor(hashUniform('math-wrong', seed, model, prompt, sample) * 9);
  return `Simulated working from ${model}: ${fillerText(fillerChars, model, prompt, sample)}\nFinal answer: ${value}`;
}

export function codeText(good: boolean, model: string, fillerChars: number, prompt: string, sample: number): string {
  const body = good
    ? '    """Simulated solution: handles the stated cases."""\n    return [item for item in items if item is not None]'
    : '    """Simulated solution: incomplete."""\n    return None';
  return `Simulated solution from ${model}:\n\`\`\`python\ndef solve(items):\n${body}\n\`\`\`\n${fillerText(fillerChars, model, prompt, sample)}`;
}

export function proseText(good: boolean, model: string, taskType: string, fillerChars: number, prompt: string, sample: number): string {
  const head = good ? `Simulated ${taskType} answer from ${model}.` : `Simulated ${taskType} answer from ${model} (low quality).`;
  return `${head} ${fillerText(fillerChars, model, prompt, sample)}`;
}
