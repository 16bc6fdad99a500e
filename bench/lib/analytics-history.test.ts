import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../src/config/schema.ts';
import type { CandidateScore } from '../../src/store/types.ts';
import { mulberry32 } from '../../src/util/seeded-random.ts';
import { benchmarkConfig } from './analytics-fill.ts';
import { BENCH_KEYS, CLASSIFICATION_AB_RULE, CODING_RULE, createHistoryGenerator, seededUuid, type HourOfHistory } from './analytics-history.ts';
import { catalogModels } from './analytics-routing.ts';

const SPEC = { requests: 6_000, days: 3, endMs: Date.UTC(2026, 10, 30, 12), seed: 7 };

function generate(spec = SPEC): HourOfHistory {
  const all: HourOfHistory = { requests: [], decisions: [], feedback: [] };
  for (const h of createHistoryGenerator(spec, catalogModels(benchmarkConfig())).hours()) {
    all.requests.push(...h.requests);
    all.decisions.push(...h.decisions);
    all.feedback.push(...h.feedback);
  }
  return all;
}

describe('seededUuid', () => {
  it('is UUID-shaped and repeats for a seed', () => {
    const a = seededUuid(mulberry32(1));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seededUuid(mulberry32(1))).toBe(a);
    expect(seededUuid(mulberry32(2))).not.toBe(a);
  });
});

describe('createHistoryGenerator', () => {
  const history = generate();
  const { requests, decisions, feedback } = history;

  it('is deterministic for a seed', () => {
    const again = generate();
    expect(again.requests.map((r) => r.id)).toEqual(requests.map((r) => r.id));
    expect(again.decisions[17]).toEqual(decisions[17]);
    expect(generate({ ...SPEC, seed: 8 }).requests[0]?.id).not.toBe(requests[0]?.id);
  });

  it('writes the requested count in time order within the window', () => {
    expect(requests).toHaveLength(SPEC.requests);
    const times = requests.map((r) => r.created_at);
    expect(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0))).toBe(true);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(SPEC.endMs - SPEC.days * 86_400_000);
    expect(Math.max(...times)).toBeLessThan(SPEC.endMs);
    expect(new Set(requests.map((r) => r.id)).size).toBe(SPEC.requests);
  });

  it('covers every task type, key and catalog model, with errors, timeouts, cache hits and long prompts', () => {
    expect(new Set(requests.map((r) => r.task_type))).toEqual(new Set(TASK_TYPES));
    expect(new Set(requests.map((r) => r.key_id))).toEqual(new Set(BENCH_KEYS.map((k) => k.id)));
    expect(new Set(requests.map((r) => r.model_used).filter((m) => m !== null))).toEqual(new Set(catalogModels(benchmarkConfig()).map((m) => m.id)));
    const errors = requests.filter((r) => r.status >= 400);
    expect(errors.length / requests.length).toBeGreaterThan(0.005);
    expect(errors.length / requests.length).toBeLessThan(0.1);
    expect(errors.some((r) => r.status === 504 && r.latency_ms >= 30_000)).toBe(true);
    expect(errors.every((r) => r.cost_usd === 0)).toBe(true);
    const hits = requests.filter((r) => r.cache_hit);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((r) => r.cost_usd === 0 && r.cache_saved_usd > 0)).toBe(true);
    expect(requests.some((r) => r.input_tokens > 10_000)).toBe(true);
    expect(requests.filter((r) => r.status < 400 && !r.cache_hit).every((r) => r.cost_usd > 0)).toBe(true);
  });

  it('links each decision to its request, with ranked candidates and the rules that fired', () => {
    const byId = new Map(requests.map((r) => [r.id, r]));
    expect(decisions.length / requests.length).toBeGreaterThan(0.8);
    for (const d of decisions.slice(0, 500)) {
      const r = byId.get(d.request_id);
      expect(r?.decision_id).toBe(d.id);
      expect(r?.created_at).toBe(d.created_at);
      expect(r?.model_requested).toBe(d.routing_model);
      expect(r?.model_used).toBe(d.chosen_model);
      const candidates = JSON.parse(d.candidates) as CandidateScore[];
      expect(candidates.map((c) => c.model)).toContain(d.chosen_model);
      expect(candidates.every((c) => c.eligible || c.reason?.startsWith('predicted quality'))).toBe(true);
    }
    const rules = new Set(decisions.flatMap((d) => JSON.parse(d.rules) as string[]));
    expect(rules).toEqual(new Set([CODING_RULE, CLASSIFICATION_AB_RULE, `${CLASSIFICATION_AB_RULE} (holdout)`]));
    for (const d of decisions.filter((x) => x.rules === JSON.stringify([CODING_RULE])).slice(0, 50)) expect(d.chosen_model).toBe('sim-small-code');
  });

  it('puts quality signals from people, the judge and completions on a fraction of answered requests', () => {
    const byId = new Map(requests.map((r) => [r.id, r]));
    expect(feedback.length / requests.length).toBeGreaterThan(0.05);
    expect(feedback.length / requests.length).toBeLessThan(0.2);
    expect(new Set(feedback.map((f) => f.source))).toEqual(new Set(['user', 'judge', 'completion']));
    expect(feedback.every((f) => f.score >= 0 && f.score <= 1 && (byId.get(f.request_id)?.status ?? 500) < 400)).toBe(true);
    expect(new Set(feedback.map((f) => `${f.request_id}|${f.source}`)).size).toBe(feedback.length);
  });
});
