import { createRng } from './predictor/rng.ts';

const WORDS = (
  'the of and to in is that for it as with was on be by this are from at or an which have not but ' +
  'function return value list array string number model data system request response error cache query ' +
  'explain why how compare analyze summarize write implement test performance latency memory thread ' +
  'quantum energy protein market history theorem integral probability language translate story'
).split(' ');

/**
 * A mixed prose/code/question user turn of about `chars` characters, the same for the same seed: what
 * `npm run bench:router` times and what the decision pins (decision-pins.test.ts) hold still.
 */
export function syntheticPrompt(chars: number, seed: number): string {
  const rng = createRng(seed);
  let text = '';
  let sentence = 0;
  while (text.length < chars) {
    const n = 6 + Math.floor(rng() * 14);
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rng() * WORDS.length)]!);
    text += words.join(' ') + (sentence % 7 === 6 ? '?\n\n' : '. ');
    if (sentence % 23 === 22) text += '```python\ndef f(x):\n    return [v * 2 for v in x if v > 3]\n```\n\n';
    sentence++;
  }
  return `${text.slice(0, chars)}\n\nWhich of the options is correct, and why?\nA. 12\nB. 14\nC. 16\nD. none of the above`;
}
