// Fixture histories for analytics tests (on SQLite and PostgreSQL): a small builder that writes
// requests, their routing decisions, feedback and API keys, and one history whose answers are worked
// out by hand below (KNOWN) so tests assert real numbers rather than re-derive them.
import type { ApiKeyRow, FeedbackRow, RequestRow, Store } from '../store/types.ts';
import { makeApiKey, makeDecisionRow, makeRequestRow } from '../store/store-test-support.ts';

export interface HistoryRequest {
  atMs: number;
  request?: Partial<RequestRow>;
  /** A routing decision for the request (absent: the client named a model, nothing was routed). */
  decision?: { decisionUs: number; complexity: number; goal?: string };
  feedback?: readonly { source: string; score: number }[];
}

/** Inserts the requests, their decisions and feedback and the keys; returns the request rows in order. */
export async function insertHistory(store: Store, requests: readonly HistoryRequest[], keys: readonly ApiKeyRow[] = []): Promise<RequestRow[]> {
  const rows = requests.map((spec) => makeRequestRow({ created_at: spec.atMs, ...spec.request }));
  const decisions = requests.flatMap((spec, i) => {
    const row = rows[i];
    if (!spec.decision || !row) return [];
    return [
      makeDecisionRow(row.id, {
        created_at: spec.atMs,
        task_type: row.task_type ?? 'chat',
        chosen_model: row.model_used ?? row.model_requested,
        complexity: spec.decision.complexity,
        decision_us: spec.decision.decisionUs,
        goal: spec.decision.goal ?? 'balanced',
      }),
    ];
  });
  const feedback: FeedbackRow[] = requests.flatMap((spec, i) =>
    (spec.feedback ?? []).map((f) => ({
      id: `fb_${rows[i]?.id}_${f.source}`,
      request_id: rows[i]?.id ?? '',
      source: f.source,
      score: f.score,
      comment: null,
      created_at: spec.atMs + 1_000,
    })),
  );
  for (const key of keys) await store.createApiKey(key);
  if (rows.length > 0) await store.insertRequests(rows);
  if (decisions.length > 0) await store.insertDecisions(decisions);
  for (const f of feedback) await store.upsertFeedback(f);
  return rows;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Monday 2026-01-05 00:00 UTC: the known history's day; the Sunday before holds the previous period. */
export const KNOWN_DAY_MS = Date.UTC(2026, 0, 5);
export const KNOWN_WINDOW = { from: new Date(KNOWN_DAY_MS).toISOString(), to: new Date(KNOWN_DAY_MS + 24 * HOUR).toISOString() };

/**
 * The known history (window = KNOWN_WINDOW, 20 requests; 10 more on the day before):
 * - A: 8 × gpt-4o-mini, qa, key_a, 09:00–09:07, $0.001, 500 ms, 1000 input tokens, decision 100+10i µs,
 *   complexity 0.1; feedback A0 user 1 · A1 user 1 + judge 0.2 · A2 user 0.5 + qa-team 0 · A3 judge 0.6 +
 *   completion 0 · A4 user 1 · A5–A7 none.
 * - B: 6 × gpt-4o, coding, key_b, 14:00–14:05, $0.01, 1500 ms, 6000 tokens, decision 200+10i µs,
 *   complexity 0.7; judge 0.8, 0.9, 1.0, 0.8, 0.9, 1.0.
 * - C: 2 × gpt-4o, coding, key_b, 15:00:00 and 15:00:30, status 504 upstream_timeout, $0, 30 000 ms,
 *   6000 tokens, decisions 300 and 5000 µs, complexity 0.9; no feedback.
 * - D: 2 × gpt-4o-mini, qa, key_a, 09:20–09:21, finish_reason length, $0.001, 800 ms, 1000 tokens,
 *   decisions 90 and 95 µs, complexity 0.3; D0 user 0.5, D1 none.
 * - E: 2 × gpt-4o-mini, summarization, key_a, 20:00–20:01, no decision; E0 $0.002, E1 a cache hit ($0,
 *   saved $0.002); 600 ms, 1000 tokens.
 * - P (previous day, Sunday 12:00–12:09): 10 × gpt-4o-mini, qa, key_a, $0.001, 500 ms.
 * Keys: key_a daily budget $0.05; key_b monthly budget $1.
 */
export function knownHistory(): { requests: HistoryRequest[]; keys: ApiKeyRow[] } {
  const day = KNOWN_DAY_MS;
  const out: HistoryRequest[] = [];
  const mini = { model_used: 'gpt-4o-mini', task_type: 'qa', key_id: 'key_a', cost_usd: 0.001, latency_ms: 500, input_tokens: 1000 };
  const aFeedback: { source: string; score: number }[][] = [
    [{ source: 'user', score: 1 }],
    [
      { source: 'user', score: 1 },
      { source: 'judge', score: 0.2 },
    ],
    [
      { source: 'user', score: 0.5 },
      { source: 'qa-team', score: 0 },
    ],
    [
      { source: 'judge', score: 0.6 },
      { source: 'completion', score: 0 },
    ],
    [{ source: 'user', score: 1 }],
    [],
    [],
    [],
  ];
  aFeedback.forEach((feedback, i) =>
    out.push({ atMs: day + 9 * HOUR + i * MINUTE, request: mini, decision: { decisionUs: 100 + 10 * i, complexity: 0.1 }, feedback }),
  );
  [0.8, 0.9, 1.0, 0.8, 0.9, 1.0].forEach((score, i) =>
    out.push({
      atMs: day + 14 * HOUR + i * MINUTE,
      request: { model_used: 'gpt-4o', task_type: 'coding', key_id: 'key_b', cost_usd: 0.01, latency_ms: 1500, input_tokens: 6000 },
      decision: { decisionUs: 200 + 10 * i, complexity: 0.7 },
      feedback: [{ source: 'judge', score }],
    }),
  );
  [300, 5000].forEach((decisionUs, i) =>
    out.push({
      atMs: day + 15 * HOUR + i * 30_000,
      request: {
        model_used: 'gpt-4o',
        task_type: 'coding',
        key_id: 'key_b',
        status: 504,
        error_type: 'upstream_timeout',
        finish_reason: null,
        cost_usd: 0,
        latency_ms: 30_000,
        input_tokens: 6000,
        output_tokens: 0,
      },
      decision: { decisionUs, complexity: 0.9 },
    }),
  );
  [90, 95].forEach((decisionUs, i) =>
    out.push({
      atMs: day + 9 * HOUR + (20 + i) * MINUTE,
      request: { ...mini, finish_reason: 'length', latency_ms: 800 },
      decision: { decisionUs, complexity: 0.3 },
      feedback: i === 0 ? [{ source: 'user', score: 0.5 }] : [],
    }),
  );
  [false, true].forEach((cacheHit, i) =>
    out.push({
      atMs: day + 20 * HOUR + i * MINUTE,
      request: {
        model_used: 'gpt-4o-mini',
        model_requested: 'gpt-4o-mini',
        task_type: 'summarization',
        key_id: 'key_a',
        cost_usd: cacheHit ? 0 : 0.002,
        cache_hit: cacheHit,
        cache_saved_usd: cacheHit ? 0.002 : 0,
        latency_ms: 600,
        input_tokens: 1000,
      },
    }),
  );
  for (let i = 0; i < 10; i++) out.push({ atMs: day - 12 * HOUR + i * MINUTE, request: mini, decision: { decisionUs: 100, complexity: 0.1 } });
  const keys = [makeApiKey({ id: 'key_a', budget_daily_usd: 0.05 }), makeApiKey({ id: 'key_b', budget_monthly_usd: 1 })];
  return { requests: out, keys };
}

/** Hand-worked answers for knownHistory() over KNOWN_WINDOW (see the derivations in docs/analytics.md). */
export const KNOWN = {
  requests: 20,
  routed: 18,
  totalCostUsd: 0.072,
  cacheSavedUsd: 0.002,
  rated: 15,
  avgQuality: 0.65,
  qualityByModel: { 'gpt-4o-mini': 4.35 / 7, 'gpt-4o': 0.675 },
  /** decision_us sorted: 90 95 100 110 120 130 140 150 160 170 200 210 220 230 240 250 300 5000. */
  routingLatencyMs: { avg: 7915 / 18 / 1000, p50: 0.16, p95: 5, p99: 5 },
  successRate: 0.9,
  completionRate: 0.8,
} as const;
