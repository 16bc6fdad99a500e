/**
 * How much an inference-time technique is predicted to lift a model's quality. Only techniques with a
 * model here become routing candidates: for the others the router has no number to rank them by.
 *
 * Voting techniques (self_consistency, majority_voting) answer with the plurality of k samples. Model:
 * - each sample is right with the model's plain predicted probability p on average;
 * - samples of one prompt are correlated: a prompt hard for one sample is hard for all. A sample is
 *   right when √ρ·D + √(1−ρ)·N < Φ⁻¹(p), with D the prompt's shared difficulty and N the sample's own
 *   noise, both standard normal; ρ = SHARED_VARIANCE (the simulated fleet draws outcomes the same way);
 * - wrong samples spread evenly over WRONG_ANSWERS distinct wrong answers (3: a four-option multiple
 *   choice; free-form numbers usually scatter wider, which only helps the vote, so 3 is the cautious end);
 * - the plurality wins; a tie at the top counts as 1 / (answers tied) of a success;
 * - the result is capped at MAX_LIFTED_QUALITY and never below p.
 */
import { normalCdf, normalQuantile } from '../../util/normal-distribution.ts';
export const WRONG_ANSWERS = 3;
export const SHARED_VARIANCE = 0.5;
export const MAX_LIFTED_QUALITY = 0.95;

/** Techniques the router can predict, by name; `samplesOption` is the option that sets k. */
export const VOTING_TECHNIQUES: Readonly<Record<string, { samplesOption: string }>> = {
  self_consistency: { samplesOption: 'k' },
  majority_voting: { samplesOption: 'k' },
};

/** Above this many samples the vote is not modelled (the gateway caps upstream requests well below). */
export const MAX_MODELLED_SAMPLES = 64;

function binomialRow(k: number): number[] {
  const row = [1];
  for (let i = 1; i <= k; i++) row.push((row[i - 1]! * (k - i + 1)) / i);
  return row;
}

/**
 * Expected credit of the correct answer when it got `correct` votes and `wrong` votes fall evenly on
 * `buckets` wrong answers: enumerates every split of the wrong votes with its multinomial probability.
 */
function creditGivenCounts(correct: number, wrong: number, buckets: number): number {
  let credit = 0;
  const counts = new Array<number>(buckets).fill(0);
  const factorial = [1];
  for (let i = 1; i <= wrong; i++) factorial.push(factorial[i - 1]! * i);
  const visit = (bucket: number, left: number): void => {
    if (bucket === buckets - 1) {
      counts[bucket] = left;
      let ways = factorial[wrong]!;
      let top = 0;
      let tiedAtTop = 0;
      for (const n of counts) {
        ways /= factorial[n]!;
        if (n > top) {
          top = n;
          tiedAtTop = 1;
        } else if (n === top) tiedAtTop += 1;
      }
      const probability = ways / buckets ** wrong;
      if (correct > top) credit += probability;
      else if (correct === top && correct > 0) credit += probability / (tiedAtTop + 1);
      return;
    }
    for (let n = 0; n <= left; n++) {
      counts[bucket] = n;
      visit(bucket + 1, left - n);
    }
  };
  visit(0, wrong);
  return credit;
}

/** Per-sample-count weights so a prediction is a short polynomial sum, cheap enough for every request. */
export interface VoteModel {
  samples: number;
  /** binomial(k, c) · credit(c correct, k − c wrong), for c = 0..k. */
  weights: number[];
}

const voteModels = new Map<number, VoteModel>();

export function voteModel(samples: number): VoteModel {
  const k = Math.max(1, Math.min(MAX_MODELLED_SAMPLES, Math.round(samples)));
  const cached = voteModels.get(k);
  if (cached) return cached;
  const binomial = binomialRow(k);
  const weights = binomial.map((b, c) => b * creditGivenCounts(c, k - c, WRONG_ANSWERS));
  const model = { samples: k, weights };
  voteModels.set(k, model);
  return model;
}

/** Probability that the plurality of k independent samples is right, each right with probability p. */
export function pluralityVoteSuccess(model: VoteModel, p: number): number {
  const q = 1 - p;
  let sum = 0;
  for (let c = 0; c <= model.samples; c++) sum += model.weights[c]! * p ** c * q ** (model.samples - c);
  return sum;
}

/** The shared difficulty is averaged over this many equal-probability slices of the normal. */
const DIFFICULTY_SLICES = 64;
const DIFFICULTY_NODES = Array.from({ length: DIFFICULTY_SLICES }, (_, j) => normalQuantile((j + 0.5) / DIFFICULTY_SLICES));

/** Vote success when the samples share SHARED_VARIANCE of their variance per prompt. */
export function correlatedVoteSuccess(model: VoteModel, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const threshold = normalQuantile(p);
  const shared = Math.sqrt(SHARED_VARIANCE);
  const own = Math.sqrt(1 - SHARED_VARIANCE);
  let sum = 0;
  for (const d of DIFFICULTY_NODES) sum += pluralityVoteSuccess(model, normalCdf((threshold - shared * d) / own));
  return sum / DIFFICULTY_SLICES;
}

/** Predictions are read from a table over p (steps of 1/TABLE_STEPS, linear in between): a decision pays a lookup, not an integral. */
const TABLE_STEPS = 400;
const tables = new WeakMap<VoteModel, Float64Array>();

function tableOf(model: VoteModel): Float64Array {
  let table = tables.get(model);
  if (!table) {
    table = new Float64Array(TABLE_STEPS + 1);
    for (let i = 0; i <= TABLE_STEPS; i++) table[i] = correlatedVoteSuccess(model, i / TABLE_STEPS);
    tables.set(model, table);
  }
  return table;
}

/**
 * Predicted quality of the technique over a model predicted at `plainQuality`. Never below the plain
 * prediction: where the vote would hurt (p too low to win pluralities) the router simply does not offer it.
 */
export function liftedQuality(model: VoteModel, plainQuality: number): number {
  const p = Math.min(1, Math.max(0, plainQuality));
  const table = tableOf(model);
  const at = p * TABLE_STEPS;
  const i = Math.min(TABLE_STEPS - 1, Math.floor(at));
  const voted = table[i]! + (table[i + 1]! - table[i]!) * (at - i);
  return Math.max(p, Math.min(MAX_LIFTED_QUALITY, voted));
}
