import { basename } from 'node:path';
import type { GatewayConfigInput } from '../../src/config/schema.ts';
import type { OutcomeRow } from '../../src/router/predictor/outcome-rows.ts';
import { createRng, shuffleInPlace } from '../../src/router/predictor/rng.ts';

/**
 * One outcome file prepared for the learning benchmark: model ids renamed so nothing shipped knows them,
 * a fixed 20% evaluation slice that is never served, and the catalog a gateway would start from.
 */
export interface LearningBenchFile {
  name: string;
  /** Renamed rows (every model has an outcome on every row). */
  rows: OutcomeRow[];
  evalRows: OutcomeRow[];
  servable: OutcomeRow[];
  models: string[];
  /** Each model's mean score over the whole file: the leaderboard prior the catalog starts with. */
  priors: Record<string, number>;
  hasCosts: boolean;
  /** For files without costs: the pair APGR is measured for the best (strong) and worst (weak) model. */
  strong: string;
  weak: string;
}

function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export const EVAL_SHARE = 0.2;

export function prepareBenchFile(path: string, raw: readonly OutcomeRow[], seed: number): LearningBenchFile {
  const counts = new Map<string, number>();
  for (const r of raw) for (const m of Object.keys(r.scores)) counts.set(m, (counts.get(m) ?? 0) + 1);
  // Models with an outcome on every row only: the metrics compare models prompt by prompt.
  const original = [...counts]
    .filter(([, c]) => c === raw.length)
    .map(([m]) => m)
    .sort();
  if (original.length < 2) throw new Error(`${path}: fewer than 2 models have an outcome on every row`);
  const rename = new Map(original.map((m, i) => [m, `lm${i + 1}-${fnv(`${seed}:${m}`)}`]));
  const hasCosts = raw.every((r) => original.every((m) => r.costs?.[m] !== undefined));
  const rows = raw.map((r) => ({
    id: r.id,
    dataset: basename(path).replace(/\.jsonl$/, ''),
    prompt: r.prompt,
    scores: Object.fromEntries(original.map((m) => [rename.get(m)!, r.scores[m]!])),
    ...(hasCosts ? { costs: Object.fromEntries(original.map((m) => [rename.get(m)!, r.costs![m]!])) } : {}),
  }));
  const models = [...rename.values()];
  const priors = Object.fromEntries(models.map((m) => [m, rows.reduce((s, r) => s + r.scores[m]!, 0) / rows.length]));
  const order = shuffleInPlace(
    Array.from({ length: rows.length }, (_, i) => i),
    createRng(seed),
  );
  const evalCount = Math.round(rows.length * EVAL_SHARE);
  const byMean = [...models].sort((a, b) => priors[b]! - priors[a]!);
  return {
    name: basename(path),
    rows,
    evalRows: order.slice(0, evalCount).map((i) => rows[i]!),
    servable: order.slice(evalCount).map((i) => rows[i]!),
    models,
    priors,
    hasCosts,
    strong: byMean[0]!,
    weak: byMean[byMean.length - 1]!,
  };
}

/** The served sequence: the servable rows in a fixed random order, again in a new order when used up. */
export function servedSequence(file: LearningBenchFile, requests: number, seed: number): OutcomeRow[] {
  const out: OutcomeRow[] = [];
  for (let pass = 0; out.length < requests; pass++) {
    const order = shuffleInPlace([...file.servable], createRng(seed + 101 * (pass + 1)));
    out.push(...order.slice(0, requests - out.length));
  }
  return out;
}

/**
 * Catalog prices: with recorded costs, each model priced so its estimate matches its mean recorded cost;
 * without, the strong model priced like GPT-4 ($10/$30 per M) and the others in between down to the
 * weak one at Mixtral's ($0.6), log-linearly in their mean score.
 */
export function benchPricing(file: LearningBenchFile): Record<string, { input: number; output: number }> {
  const out: Record<string, { input: number; output: number }> = {};
  const lo = file.priors[file.weak]!;
  const hi = file.priors[file.strong]!;
  const meanTokens = file.rows.reduce((s, r) => s + r.prompt.length / 4, 0) / file.rows.length + 100;
  for (const m of file.models) {
    if (file.hasCosts) {
      const meanCost = file.rows.reduce((s, r) => s + r.costs![m]!, 0) / file.rows.length;
      const perM = (meanCost * 1e6) / meanTokens;
      out[m] = { input: perM, output: perM };
    } else {
      const t = hi > lo ? (file.priors[m]! - lo) / (hi - lo) : 0;
      out[m] = { input: 0.6 * Math.pow(10 / 0.6, t), output: 0.6 * Math.pow(30 / 0.6, t) };
    }
  }
  return out;
}

export function benchConfig(file: LearningBenchFile, simUrl: string, learning: Record<string, unknown>): GatewayConfigInput {
  const pricing = benchPricing(file);
  return {
    providers: [{ id: 'sim', type: 'openai', base_url: simUrl, simulated: true }],
    models: file.models.map((id) => ({
      id,
      provider: 'sim',
      pricing: pricing[id]!,
      context_window: 128_000,
      max_output_tokens: 4_096,
      quality: { default: file.priors[id]! },
      capabilities: ['streaming'],
    })),
    routing: { virtual_models: { auto: { goal: 'balanced' } }, learning },
  };
}
