import { sigmoid } from './ability.ts';

/**
 * Platt scaling: (scale, offset) minimizing log loss of σ(scale·z + offset) on held-out logits, with a
 * light pull towards the identity so a handful of rows cannot flip a model's probabilities.
 */
export function fitPlatt(logits: readonly number[], labels: readonly number[], pull = 1): { scale: number; offset: number } {
  let s = 1;
  let c = 0;
  for (let iter = 0; iter < 50; iter++) {
    let gs = pull * (s - 1);
    let gc = pull * c;
    let hss = pull;
    let hsc = 0;
    let hcc = pull;
    for (let i = 0; i < logits.length; i++) {
      const z = logits[i]!;
      const p = sigmoid(s * z + c);
      const g = p - labels[i]!;
      const w = p * (1 - p);
      gs += g * z;
      gc += g;
      hss += w * z * z;
      hsc += w * z;
      hcc += w;
    }
    const det = hss * hcc - hsc * hsc;
    if (det <= 1e-12) break;
    let ds = (hcc * gs - hsc * gc) / det;
    let dc = (hss * gc - hsc * gs) / det;
    // Newton on log loss overshoots far from the optimum: halve the step until the loss goes down.
    const before = loss(logits, labels, s, c, pull);
    while (loss(logits, labels, s - ds, c - dc, pull) > before && Math.abs(ds) + Math.abs(dc) > 1e-12) {
      ds /= 2;
      dc /= 2;
    }
    s -= ds;
    c -= dc;
    if (Math.abs(ds) + Math.abs(dc) < 1e-10) break;
  }
  if (s < 0) return { scale: 0, offset: fitOffsetOnly(logits, labels, pull) };
  return { scale: s, offset: c };
}

/**
 * The offset alone (scale 0: every prompt gets the same probability), for when the best scale is negative.
 * A calibration that inverts a model's ranking learned from held-out rows that contradict the model —
 * on WinoGrande, twin sentences with opposite answers split across folds — and inverts it on new prompts too.
 */
function fitOffsetOnly(logits: readonly number[], labels: readonly number[], pull: number): number {
  let c = 0;
  for (let iter = 0; iter < 50; iter++) {
    let g = pull * c;
    let h = pull;
    for (let i = 0; i < logits.length; i++) {
      const p = sigmoid(c);
      g += p - labels[i]!;
      h += p * (1 - p);
    }
    const step = g / h;
    c -= step;
    if (Math.abs(step) < 1e-10) break;
  }
  return c;
}

function loss(logits: readonly number[], labels: readonly number[], s: number, c: number, pull: number): number {
  let l = (pull * ((s - 1) ** 2 + c * c)) / 2;
  for (let i = 0; i < logits.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(s * logits[i]! + c)));
    l -= labels[i]! * Math.log(p) + (1 - labels[i]!) * Math.log(1 - p);
  }
  return l;
}
