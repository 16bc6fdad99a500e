import { describe, expect, it } from 'vitest';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { createRng } from '../predictor/rng.ts';
import { outcomeLoss } from './fit-state.ts';
import { LearningPredictor } from './learning-predictor.ts';
import type { LearningRow } from './learning-row.ts';
import { OnlineLearner } from './online-learner.ts';
import { DEFAULT_ONLINE_RIDGE } from './online-ridge.ts';
import { shippedPredictor } from './learning.test-support.ts';

const CATALOG = [{ id: 'acme-new', quality: { default: 0.6 } }];
/** The model answers questions on these subjects well and the others badly: a per-prompt signal abilities cannot hold. */
const GOOD = ['volcano', 'glacier', 'enzyme', 'protein', 'comet', 'magnet'];
const BAD = ['sonnet', 'ballad', 'tariff', 'treaty', 'opera', 'fresco'];
const WORDS = ['river', 'stone', 'window', 'garden', 'engine', 'market', 'lantern', 'harbor', 'meadow', 'copper', 'signal', 'thread'];

interface Sample {
  prompt: string;
  good: boolean;
}

function samples(count: number, seed: number): Sample[] {
  const random = createRng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  // Same template and length for both kinds, so the live predictor and the abilities see no difference.
  return Array.from({ length: count }, () => {
    const good = random() < 0.5;
    const subject = pick(good ? GOOD : BAD);
    return { prompt: `In the ${pick(WORDS)} question, which ${pick(WORDS)} describes the ${subject}?\nA) ${pick(WORDS)}\nB) ${pick(WORDS)}\nAnswer:`, good };
  });
}

/** Scored rows in time order; `signal` = P(score 1) for good and bad topics. */
function rowsOf(list: readonly Sample[], signal: { good: number; bad: number }, seed: number, offset = 0): LearningRow[] {
  const random = createRng(seed);
  return list.map((s, i) => {
    const a = analyzePromptText(s.prompt);
    const at = offset + i;
    return {
      requestId: `req-${String(at).padStart(6, '0')}`,
      createdAtMs: at,
      model: 'acme-new',
      taskType: a.taskType,
      features: a.features,
      difficulty: 0,
      discrimination: 1,
      predicted: 0.5,
      routerVersion: 'test',
      technique: null,
      explored: false,
      score: random() < (s.good ? signal.good : signal.bad) ? 1 : 0,
      source: 'user',
      scoredAtMs: at,
    };
  });
}

async function fitted(rows: readonly LearningRow[], l2: number): Promise<LearningPredictor> {
  const predictor = new LearningPredictor(shippedPredictor());
  await new OnlineLearner(predictor, () => CATALOG, undefined, { ...DEFAULT_ONLINE_RIDGE, l2 }).refit(rows, 1, 0);
  return predictor;
}

/** Mean log loss on rows and the standard error of the paired difference to another predictor. */
function pairedLoss(rows: readonly LearningRow[], a: LearningPredictor, b: LearningPredictor): { a: number; b: number; se: number } {
  const d = rows.map((r) => {
    const analysis = { features: r.features, taskType: r.taskType, complexity: 0, promptTokens: 0, language: 'en' };
    const [pa] = a.predict(analysis, CATALOG);
    const [pb] = b.predict(analysis, CATALOG);
    return [outcomeLoss(r.score!, pa!), outcomeLoss(r.score!, pb!)] as const;
  });
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const diffs = d.map(([x, y]) => x - y);
  const m = mean(diffs);
  const se = Math.sqrt(diffs.reduce((s, x) => s + (x - m) ** 2, 0) / (diffs.length - 1) / diffs.length);
  return { a: mean(d.map(([x]) => x)), b: mean(d.map(([, y]) => y)), se };
}

describe('online ridge heads', () => {
  it('learn a per-prompt signal: lower log loss on later rows than abilities alone', { timeout: 60_000 }, async () => {
    const signal = { good: 0.9, bad: 0.2 };
    const train = rowsOf(samples(400, 1), signal, 2);
    const later = rowsOf(samples(300, 3), signal, 4, 400);
    const withHeads = await fitted(train, 10);
    const abilitiesOnly = await fitted(train, 0);
    expect(withHeads.state!.models['acme-new']!.ridge?.scale).toBeGreaterThan(0);
    const loss = pairedLoss(later, withHeads, abilitiesOnly);
    expect(loss.b - loss.a).toBeGreaterThan(2 * loss.se);
  });

  it('never raise log loss on later rows beyond noise when outcomes carry no per-prompt signal', { timeout: 60_000 }, async () => {
    for (const seed of [5, 6, 7]) {
      const signal = { good: 0.6, bad: 0.6 };
      const train = rowsOf(samples(400, seed), signal, seed + 10);
      const later = rowsOf(samples(300, seed + 20), signal, seed + 30, 400);
      const loss = pairedLoss(later, await fitted(train, 10), await fitted(train, 0));
      expect(loss.a - loss.b).toBeLessThanOrEqual(2 * loss.se + 1e-9);
    }
  });

  it('are deterministic: two replicas fitting the same rows store the same state', { timeout: 60_000 }, async () => {
    const rows = rowsOf(samples(300, 8), { good: 0.9, bad: 0.2 }, 9);
    const a = await fitted(rows, 10);
    // The other replica reads the rows in another order (the learner sorts them).
    const b = await fitted([...rows].reverse(), 10);
    expect(a.state!.models['acme-new']!.ridge).not.toBeNull();
    expect(JSON.stringify(b.state)).toBe(JSON.stringify(a.state));
  });

  it('serve a head through the learned state, and a state without heads as before', { timeout: 60_000 }, async () => {
    const rows = rowsOf(samples(400, 11), { good: 0.95, bad: 0.1 }, 12);
    const predictor = await fitted(rows, 10);
    const p = (prompt: string) => {
      const a = analyzePromptText(prompt);
      return predictor.predict({ features: a.features, taskType: a.taskType, complexity: 0, promptTokens: 0, language: 'en' }, CATALOG)[0]!;
    };
    const good = p('In the river question, which stone describes the volcano?\nA) garden\nB) engine\nAnswer:');
    const bad = p('In the river question, which stone describes the treaty?\nA) garden\nB) engine\nAnswer:');
    expect(good - bad).toBeGreaterThan(0.2);
    const plain = await fitted(rows, 0);
    expect(plain.state!.ridgeIdf).toBeUndefined();
  });
});
