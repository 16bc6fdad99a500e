import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayConfig } from '../../router/policy/policy-fixtures.test-support.ts';
import { TEST_BACKENDS, type OpenedTestStore } from '../../store/store-test-support.ts';
import { buildRecommendations, type Recommendations } from './build-recommendations.ts';
import { FIXTURE_START_MS, knownAnswerHistory, writeFixtureHistory } from './fixture-history.test-support.ts';
import { listRecommendations, storeRecommendations } from './store-recommendations.ts';
import { formatRecommendationMarkdown } from './format-recommendation.ts';
import { parse } from 'yaml';

const config = gatewayConfig();
const window = { from: new Date(FIXTURE_START_MS).toISOString(), to: new Date(FIXTURE_START_MS + 86_400_000).toISOString() };

describe.each(TEST_BACKENDS)('recommendations on a known-answer history ($name)', (backend) => {
  let opened: OpenedTestStore;
  let result: Recommendations;

  beforeAll(async () => {
    opened = await backend.open();
    await writeFixtureHistory(opened.store, knownAnswerHistory());
    result = await buildRecommendations(opened.store.db, config, {
      ...window,
      optimization_goal: 'cost',
      quality_threshold: 0.8,
      cost_threshold: 0.01,
      target_reduction_pct: 20,
    });
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('finds the one rule that saves money above the floor: summarization to the cost goal at min_quality 0.75', () => {
    expect(result.recommendations).toHaveLength(1);
    const rec = result.recommendations[0]!;
    expect(rec.rule).toMatchObject({
      name: 'rec-summarization-cost-q0.75',
      match: { task_types: ['summarization'] },
      action: { goal: 'cost', min_quality: 0.75 },
      percent: 100,
    });
    expect(rec.rule.match.complexity).toBeUndefined();
    // 40 on gpt-4o asked with goal quality, 20 on gpt-4o-mini with goal cost: (40 × 0.004 + 20 × 0.0002) / 60 per request.
    expect(rec.currentState).toBe(
      'summarization requests: 60 requests, mostly on gpt-4o, requested goals quality 67%, cost 33%, average quality 0.893, $0.002733 per request',
    );
    expect(rec.recommendedChange).toBe(
      'add rule rec-summarization-cost-q0.75: for summarization requests, route by goal cost with quality floor 0.75 (policy default: 0.7)',
    );
    expect(rec.expectedImpact.segmentAvgCostUsdBefore).toBeCloseTo(0.164 / 60, 12);
    expect(rec.expectedImpact.segmentAvgCostUsdAfter).toBeCloseTo(0.0002, 12);
    expect((parse(rec.ruleYaml) as { routing: { rules: unknown[] } }).routing.rules).toEqual([rec.rule]);
    const md = formatRecommendationMarkdown(rec);
    for (const field of [
      '**Current State**',
      '**Recommended Change**',
      '**Expected Impact**: 62.3% lower cost ($0.1520 saved over the window)',
      '**Implementation Effort**: Low',
      '**Risk Level**',
      '**Validation Criteria**',
    ]) {
      expect(md).toContain(field);
    }
    expect(md).toContain(`aigw rules apply ${rec.id}`);
    expect(rec.id).toMatch(/^rec_[0-9a-f]{16}$/);
  });

  it('computes the expected impact by replay: 40 requests switch to gpt-4o-mini at calibrated quality 0.8467', () => {
    const impact = result.recommendations[0]!.expectedImpact;
    expect(impact.requests).toBe(80);
    expect(impact.matchedRequests).toBe(60);
    expect(impact.affectedRequests).toBe(40);
    expect(impact.affectedShare).toBeCloseTo(0.5, 9);
    // 40 × (0.004 − 0.0002) saved out of 0.244 spent.
    expect(impact.costChangeUsd).toBeCloseTo(-0.152, 9);
    expect(impact.costChangePct).toBeCloseTo((-0.152 / 0.244) * 100, 6);
    // gpt-4o-mini on summarization: predicted 0.78, observed 0.88 over 20 ratings → 0.78 + 0.10 × 20/30.
    const miniCalibrated = 0.78 + 0.1 * (20 / 30);
    expect(impact.segmentQualityBefore).toBeCloseTo((40 * 0.9 + 20 * 0.88) / 60, 9);
    expect(impact.segmentQualityAfter).toBeCloseTo((40 * miniCalibrated + 20 * 0.88) / 60, 9);
    expect(impact.avgQualityBefore).toBeCloseTo(0.9, 9);
    expect(impact.avgQualityAfter).toBeCloseTo((40 * miniCalibrated + 20 * 0.88 + 20 * 0.92) / 80, 9);
    expect(impact.avgLatencyMsAfter).toBeCloseTo((40 * 700 + 20 * 700 + 20 * 900) / 80, 9);
    expect(impact.predictedQualityShare).toBe(0);
    expect(result.recommendations[0]!.meetsConstraints).toEqual({ cost: true, quality: true });
  });

  it('analyses decisions in hindsight: half were optimal, 0.152 USD missed, all on summarization', () => {
    const d = result.decisions;
    expect(d.analyzed).toBe(80);
    expect(d.optimalShare).toBeCloseTo(0.5, 9);
    expect(d.missedSavingsUsd).toBeCloseTo(0.152, 9);
    expect(d.byTaskType[0]).toMatchObject({ taskType: 'summarization', analyzed: 60, bestModel: 'gpt-4o-mini' });
    expect(d.byTaskType.find((t) => t.taskType === 'coding')).toMatchObject({ optimalShare: 1, missedSavingsUsd: 0, bestModel: 'gpt-4o' });
    expect(d.topMisses[0]).toMatchObject({ usedModel: 'gpt-4o', bestModel: 'gpt-4o-mini' });
  });

  it('reports per-rule effectiveness and the A/B arms of the canary rule', () => {
    const old = result.decisions.rules.find((r) => r.rule === 'old-quality-rule');
    expect(old).toMatchObject({ fires: 40, qualitySamples: 40 });
    expect(old?.avgQuality).toBeCloseTo(0.9, 9);
    expect(old?.avgCostUsd).toBeCloseTo(0.004, 12);
    expect(result.decisions.rules.some((r) => r.rule.endsWith('(holdout)'))).toBe(false);
    const ab = result.decisions.abTests;
    expect(ab).toHaveLength(1);
    expect(ab[0]).toMatchObject({ rule: 'canary', applied: { fires: 10 }, holdout: { fires: 10 } });
    expect(ab[0]?.qualityDelta).toBeCloseTo(0.06, 9);
    const [low, high] = ab[0]?.qualityDeltaCi95 ?? [0, 0];
    expect(low).toBeGreaterThan(0.04);
    expect(high).toBeLessThan(0.08);
  });

  it('plans the 20% reduction with the one change, mixes and phases it, and weighs the goals', () => {
    const plan = result.costReductionPlan;
    expect(plan.reachable).toBe(true);
    expect(plan.recommendationIds).toEqual([result.recommendations[0]!.id]);
    expect(plan.expectedReductionPct).toBeCloseTo((0.152 / 0.244) * 100, 6);
    const mix = result.modelMix.find((m) => m.taskType === 'summarization');
    expect(mix?.current['gpt-4o']).toBeCloseTo(40 / 60, 9);
    expect(mix?.recommended).toEqual({ 'gpt-4o-mini': 1 });
    expect(result.phases.map((p) => p.timeline)).toEqual(['Week 1', 'Weeks 2-4', 'Months 2-3']);
    expect(result.phases.flatMap((p) => p.recommendationIds)).toEqual([result.recommendations[0]!.id]);
    expect(result.scenarios.map((s) => s.goal)).toEqual(['cost', 'speed', 'quality', 'balanced']);
    expect(result.scenarios.find((s) => s.goal === 'cost')?.costChangePct).toBeCloseTo((-0.152 / 0.244) * 100, 6);
    expect(result.window).toMatchObject({ requests: 80, analyzedRequests: 80, sampleScale: 1, withQualitySignal: 80 });
    expect(result.confidence).toBe('medium');
    expect(result.missing).toEqual([]);
  });

  it('states that an unreachable target cannot be met within the floor, with the trade-off', async () => {
    const strict = await buildRecommendations(opened.store.db, config, {
      ...window,
      optimization_goal: 'cost',
      quality_threshold: 0.8,
      target_reduction_pct: 80,
    });
    expect(strict.costReductionPlan.reachable).toBe(false);
    expect(strict.costReductionPlan.statement).toMatch(/cannot be reached within the quality floor 0\.8/);
    expect(strict.costReductionPlan.tradeOffs.map((t) => t.qualityFloor)).toEqual([0.75, 0.7, 0.65]);
  });

  it('stores the recommendations so `aigw rules apply` can find them', async () => {
    const persisted = await buildRecommendations(
      opened.store.db,
      config,
      { ...window, quality_threshold: 0.8 },
      { persistTo: opened.store, nowMs: 1_767_225_600_000 },
    );
    expect(await opened.store.getRecommendation(persisted.recommendations[0]!.id)).toMatchObject({ status: 'proposed', created_at: 1_767_225_600_000 });
    // The same rule found again has the same id (a hash of the rule) and is not stored twice.
    expect(persisted.recommendations[0]!.id).toBe(result.recommendations[0]!.id);
    await storeRecommendations(opened.store, result.recommendations, 1_767_225_600_000);
    expect((await listRecommendations(opened.store.db)).filter((r) => r.id === result.recommendations[0]!.id)).toHaveLength(1);
    const rec = result.recommendations[0]!;
    const row = await opened.store.getRecommendation(rec.id);
    expect(row).toMatchObject({ id: rec.id, kind: 'routing_rule', status: 'proposed', title: rec.title });
    expect((JSON.parse(row?.payload ?? '{}') as { rule: unknown }).rule).toEqual(rec.rule);
  });

  it('samples a stable half of the id buckets past the row cap and scales money back up', async () => {
    const sampled = await buildRecommendations(
      opened.store.db,
      config,
      { ...window, optimization_goal: 'cost', quality_threshold: 0.8 },
      { maxHistoryRows: 40 },
    );
    expect(sampled.window).toMatchObject({ requests: 80, analyzedRequests: 40, sampleScale: 2 });
    expect(sampled.current.totalCostUsd).toBeCloseTo(0.244, 9);
    // The even-numbered requests are kept: 20 summarizations on gpt-4o switch, counted twice over the window.
    expect(sampled.recommendations[0]?.expectedImpact.affectedRequests).toBe(20);
    expect(sampled.recommendations[0]?.expectedImpact.costChangeUsd).toBeCloseTo(-0.152, 9);
    expect(sampled.confidence).toBe('medium');
  });

  it('answers with confidence low and says what is missing when the window is empty', async () => {
    const empty = await buildRecommendations(opened.store.db, config, { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' });
    expect(empty.confidence).toBe('low');
    expect(empty.recommendations).toEqual([]);
    expect(empty.missing[0]).toMatch(/no routed requests/);
    expect(empty.costReductionPlan.reachable).toBe(false);
    expect(empty.decisions.analyzed).toBe(0);
  });
});
