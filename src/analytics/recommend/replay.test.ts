import { describe, expect, it } from 'vitest';
import type { GatewayConfig, RoutingRule, TaskType } from '../../config/schema.ts';
import { RoutingRule as RoutingRuleSchema } from '../../config/schema.ts';
import { LiveStats } from '../../router/live-stats.ts';
import { analysis, fakePredictor, gatewayConfig } from '../../router/policy/policy-fixtures.test-support.ts';
import { createRouter } from '../../router/router.ts';
import type { RouteDecision } from '../../router/types.ts';
import { storedCandidatesJson } from '../../pipeline/decision-row.ts';
import type { CandidateScore } from '../../store/types.ts';
import { calibrate } from './calibrate.ts';
import type { HistoryRow } from './load-history.ts';
import { replayChoice, replayPolicyChange } from './replay.ts';
import { textOf } from '../../optimizer/techniques/technique-kit.ts';

const BASE_RULES = [
  {
    name: 'cheap-summaries',
    match: { task_types: ['summarization' as const], complexity: { max: 0.4 } },
    action: { prefer: ['tier:economy'], min_quality: 0.8 },
  },
  { name: 'deep-analysis', match: { complexity: { min: 0.6 } }, action: { min_quality: 0.8, exclude: ['llama-local'] } },
];
const CHANGE: RoutingRule = RoutingRuleSchema.parse({
  name: 'candidate',
  match: { task_types: ['qa', 'summarization'], complexity: { max: 0.5 } },
  action: { prefer: ['claude-haiku'], goal: 'cost', min_quality: 0.75 },
});

/** Every task type × complexity × routing model the test routes, keyed by a prompt text. */
const CASES = (['qa', 'summarization', 'coding'] as TaskType[]).flatMap((taskType) =>
  Array.from({ length: 21 }, (_, i) => i * 0.05).flatMap((complexity) =>
    ['auto', 'auto-cost', 'auto-quality', 'auto-speed'].map((routingModel) => ({ taskType, complexity, routingModel, text: `${taskType}|${complexity}` })),
  ),
);

function routerFor(config: GatewayConfig) {
  return createRouter({
    config,
    predictor: fakePredictor,
    analyze: (messages) => {
      const [taskType, complexity] = textOf(messages.at(-1)?.content ?? '').split('|');
      return analysis(taskType as TaskType, Number(complexity), 400);
    },
    liveStats: new LiveStats(),
  });
}

function decide(config: GatewayConfig, c: (typeof CASES)[number], requestId: string): RouteDecision {
  const outcome = routerFor(config).decide({ routingModel: c.routingModel, messages: [{ role: 'user', content: c.text }], requestId });
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.decision;
}

function historyRow(d: RouteDecision, requestId: string): HistoryRow {
  const chosen = d.candidates.find((c) => c.model === d.chosenModel);
  return {
    requestId,
    createdAt: 0,
    routingModel: d.routingModel,
    taskType: d.taskType,
    complexity: d.complexity,
    goal: d.constraints.goal,
    chosenModel: d.chosenModel,
    modelUsed: d.chosenModel,
    status: 200,
    costUsd: chosen?.estCostUsd ?? 0,
    latencyMs: chosen?.estLatencyMs ?? 0,
    candidates: d.candidates,
    rules: d.rulesFired,
    quality: null,
  };
}

describe('policy replay', () => {
  const before = gatewayConfig({ default_min_quality: 0.7, rules: BASE_RULES });
  const after = gatewayConfig({ default_min_quality: 0.7, rules: [...BASE_RULES, CHANGE] });
  const rows = CASES.map((c, i) => historyRow(decide(before, c, `r${i}`), `r${i}`));
  const ctx = { config: before, calibration: calibrate(rows) };

  it('reproduces every logged decision from its stored candidates', () => {
    rows.forEach((row) => expect(replayChoice(row, ctx, [])?.model).toBe(row.chosenModel));
  });

  it('keeps a quality just under min_quality ineligible after the decision row is stored', () => {
    // Each row's candidates, with those the quality bar left out just under it, through the stored JSON.
    let nudged = 0;
    for (const row of rows) {
      const candidates = row.candidates.map((c) => {
        const at = c.reason?.indexOf('required ') ?? -1;
        if (at < 0) return c;
        nudged += 1;
        return { ...c, predictedQuality: Number.parseFloat(c.reason!.slice(at + 'required '.length)) - 4e-6 };
      });
      const stored = { ...row, candidates: JSON.parse(storedCandidatesJson(candidates)) as CandidateScore[] };
      expect(replayChoice(stored, ctx, [])?.model, row.requestId).toBe(row.chosenModel);
    }
    expect(nudged).toBeGreaterThan(10);
  });

  it('picks what the router picks with the rule added to the config', () => {
    let switched = 0;
    CASES.forEach((c, i) => {
      const expected = decide(after, c, `r${i}`).chosenModel;
      const replayed = replayChoice(rows[i]!, ctx, [CHANGE])?.model;
      expect(replayed, `${c.taskType} ${c.complexity} ${c.routingModel}`).toBe(expected);
      if (expected !== rows[i]!.chosenModel) switched += 1;
    });
    expect(switched).toBeGreaterThan(10);
  });

  it('counts as affected only the requests the rule switches, and prices them from the estimates', () => {
    const result = replayPolicyChange(rows, ctx, [CHANGE]);
    const switchedRows = rows.filter((row, i) => decide(after, CASES[i]!, row.requestId).chosenModel !== row.chosenModel);
    expect(result.affected).toBe(switchedRows.length);
    expect(result.matched).toBe(rows.filter((r) => ['qa', 'summarization'].includes(r.taskType) && r.complexity <= 0.5).length);
    const expectedCost = rows.reduce((sum, row, i) => {
      const d = decide(after, CASES[i]!, row.requestId);
      return sum + (d.candidates.find((c) => c.model === d.chosenModel)?.estCostUsd ?? 0);
    }, 0);
    expect(result.expected.costUsd).toBeCloseTo(expectedCost, 12);
  });
});

describe('A/B holdout in the decision log', () => {
  it('logs `name (holdout)` for requests the split leaves out, never both arms', () => {
    const config = gatewayConfig({ rules: [{ name: 'try-haiku', percent: 50, action: { require: ['claude-haiku'] } }] });
    const arms = Array.from({ length: 200 }, (_, i) => decide(config, CASES[0]!, `req-${i}`).rulesFired);
    const applied = arms.filter((r) => r.includes('try-haiku')).length;
    const held = arms.filter((r) => r.includes('try-haiku (holdout)')).length;
    expect(applied + held).toBe(200);
    expect(applied).toBeGreaterThan(70);
    expect(held).toBeGreaterThan(70);
  });
});
