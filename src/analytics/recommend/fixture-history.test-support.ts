// A small routed history with known answers, for the recommendation tests (see the numbers in recommend.test.ts).
import type { CandidateScore, DecisionRow, FeedbackRow, RequestRow, Store } from '../../store/types.ts';
import { makeDecisionRow, makeRequestRow } from '../../store/store-test-support.ts';

export const FIXTURE_START_MS = Date.UTC(2026, 0, 5, 0, 0, 0);
export const MINI_COST_USD = 0.0002;
export const PREMIUM_COST_USD = 0.004;

export interface FixtureRequest {
  taskType: string;
  complexity: number;
  goal: string;
  chosen: 'gpt-4o-mini' | 'gpt-4o';
  /** Observed quality, stored as a `user` feedback row. */
  quality: number | null;
  rules?: string[];
  /** Predicted quality of gpt-4o-mini for this request (gpt-4o is always 0.9). */
  miniPredicted: number;
  status?: number;
}

function candidates(req: FixtureRequest): CandidateScore[] {
  const minQuality = 0.7;
  const mini = { model: 'gpt-4o-mini', predictedQuality: req.miniPredicted, estCostUsd: MINI_COST_USD, estLatencyMs: 700, score: req.miniPredicted };
  const premium = { model: 'gpt-4o', predictedQuality: 0.9, estCostUsd: PREMIUM_COST_USD, estLatencyMs: 900, score: 0.9 };
  const miniOk = req.miniPredicted >= minQuality;
  return [
    { ...premium, eligible: true },
    miniOk
      ? { ...mini, eligible: true }
      : { ...mini, eligible: false, reason: `predicted quality ${req.miniPredicted.toFixed(2)} < required ${minQuality.toFixed(2)}` },
    { model: 'llama-local', predictedQuality: 0.3, estCostUsd: 0, estLatencyMs: 300, score: 0, eligible: false, reason: 'no tools support' },
  ];
}

/**
 * Ids end in two hex characters like the gateway's UUIDs: `i` for even i and `i + 128` for odd i (i < 128),
 * so sampling half of the id buckets (00–7f) keeps exactly the even-numbered requests.
 */
export function fixtureRequestId(i: number): string {
  if (i >= 128) throw new Error('the fixture ids cover 128 requests');
  return `req_fixture_${i}_${(i % 2 === 0 ? i : i + 128).toString(16).padStart(2, '0')}`;
}

/** Writes the requests (one minute apart from FIXTURE_START_MS), their decisions and their feedback. */
export async function writeFixtureHistory(store: Store, requests: readonly FixtureRequest[]): Promise<RequestRow[]> {
  const rows: RequestRow[] = [];
  const decisions: DecisionRow[] = [];
  const feedback: FeedbackRow[] = [];
  requests.forEach((req, i) => {
    const createdAt = FIXTURE_START_MS + i * 60_000;
    const row = makeRequestRow({
      id: fixtureRequestId(i),
      created_at: createdAt,
      model_used: req.chosen,
      status: req.status ?? 200,
      task_type: req.taskType,
      cost_usd: req.chosen === 'gpt-4o' ? PREMIUM_COST_USD : MINI_COST_USD,
      latency_ms: req.chosen === 'gpt-4o' ? 900 : 700,
    });
    rows.push(row);
    decisions.push(
      makeDecisionRow(row.id, {
        created_at: createdAt,
        task_type: req.taskType,
        complexity: req.complexity,
        goal: req.goal,
        chosen_model: req.chosen,
        candidates: JSON.stringify(candidates(req)),
        rules: JSON.stringify(req.rules ?? []),
      }),
    );
    if (req.quality !== null) {
      feedback.push({ id: `fb_fixture_${i}_${row.id}`, request_id: row.id, source: 'user', score: req.quality, comment: null, created_at: createdAt });
    }
  });
  await store.insertRequests(rows);
  await store.insertDecisions(decisions);
  for (const f of feedback) await store.upsertFeedback(f);
  return rows;
}

/**
 * 40 summarization requests on gpt-4o (quality 0.9) that gpt-4o-mini is predicted to answer at 0.78;
 * 20 summarization requests on gpt-4o-mini that people rated 0.88 (0.10 above its prediction);
 * 20 coding requests on gpt-4o (0.92 ± 0.01), where gpt-4o-mini is predicted at 0.6 and never measured,
 * half of them under the A/B rule `canary` (rated 0.95 ± 0.01), half held out (0.89 ± 0.01).
 */
export function knownAnswerHistory(): FixtureRequest[] {
  const out: FixtureRequest[] = [];
  for (let i = 0; i < 40; i++) {
    out.push({
      taskType: 'summarization',
      complexity: 0.1 + (i % 5) * 0.1,
      goal: 'quality',
      chosen: 'gpt-4o',
      quality: 0.9,
      miniPredicted: 0.78,
      rules: ['old-quality-rule'],
    });
  }
  for (let i = 0; i < 20; i++) {
    out.push({ taskType: 'summarization', complexity: 0.2, goal: 'cost', chosen: 'gpt-4o-mini', quality: 0.88, miniPredicted: 0.78 });
  }
  for (let i = 0; i < 20; i++) {
    const wobble = i % 4 < 2 ? 0.01 : -0.01;
    const canary = i % 2 === 0;
    out.push({
      taskType: 'coding',
      complexity: 0.6,
      goal: 'quality',
      chosen: 'gpt-4o',
      quality: (canary ? 0.95 : 0.89) + wobble,
      miniPredicted: 0.6,
      rules: [canary ? 'canary' : 'canary (holdout)'],
    });
  }
  return out;
}
