import { expect, it } from 'vitest';
import { KNOWN } from './fixture-history.test-support.ts';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { qualityMetrics } from './quality-metrics.ts';

describeOnKnownHistory('qualityMetrics on the known history', (ctx) => {
  it('derives quality by precedence (people > judge > completion) and counts where each value came from', async () => {
    const r = await qualityMetrics(ctx.db(), ctx.query());
    expect(r.sample_size).toBe(20);
    expect(r.rated_requests).toBe(KNOWN.rated);
    expect(r.quality_sources).toEqual({ user: 5, judge: 7, completion: 3 });
    expect(r.avg_quality).toBeCloseTo(KNOWN.avgQuality, 12);
    // sd 0.399553 over 15 values, t(14) = 2.145: 0.65 ± 0.221290.
    expect(r.avg_quality_ci95?.[0]).toBeCloseTo(0.42871, 4);
    expect(r.avg_quality_ci95?.[1]).toBeCloseTo(0.87129, 4);
  });

  it('averages by model and task type with t intervals', async () => {
    const r = await qualityMetrics(ctx.db(), ctx.query());
    const mini = r.by_model.find((m) => m.model === 'gpt-4o-mini');
    expect(mini).toMatchObject({ requests: 12, rated: 7, completion_rate: 0.833333 });
    expect(mini?.avg_quality).toBeCloseTo(KNOWN.qualityByModel['gpt-4o-mini'], 5);
    // sd 0.401930, t(6) = 2.447: half-width 0.371739.
    expect(mini?.ci95_low).toBeCloseTo(0.24969, 4);
    expect(mini?.ci95_high).toBeCloseTo(0.99317, 4);
    expect(r.by_model.find((m) => m.model === 'gpt-4o')).toMatchObject({ requests: 8, rated: 8, avg_quality: 0.675, completion_rate: 0.75 });
    expect(r.by_task_type.map((g) => [g.task_type, g.rated, g.avg_quality])).toEqual([
      ['qa', 7, 0.621429],
      ['coding', 8, 0.675],
      ['summarization', 0, null],
    ]);
    // Each model serves one task type here except gpt-4o-mini (qa and the unrated summaries).
    expect(r.by_model_task_type.map((g) => [g.model, g.task_type, g.requests, g.rated, g.avg_quality])).toEqual([
      ['gpt-4o-mini', 'qa', 10, 7, 0.621429],
      ['gpt-4o', 'coding', 8, 8, 0.675],
      ['gpt-4o-mini', 'summarization', 2, 0, null],
    ]);
  });

  it('correlates quality with cost (Pearson over the 15 rated requests) and reports completion', async () => {
    const r = await qualityMetrics(ctx.db(), ctx.query());
    expect(r.correlation_sample_size).toBe(15);
    expect(r.quality_cost_correlation).toBeCloseTo(0.5643, 4);
    expect(r.completion_rate).toBeCloseTo(KNOWN.completionRate, 12);
    expect(r.completion).toEqual({ completed: 16, truncated: 2, content_filtered: 0, failed: 2, client_errors: 0 });
    expect(r.completion_rate_ci95?.[0]).toBeLessThan(0.8);
    expect(r.completion_rate_ci95?.[1]).toBeGreaterThan(0.8);
    expect(r.user_satisfaction.ratings).toBe(6);
    expect(r.user_satisfaction.avg_score).toBeCloseTo(4 / 6, 5);
  });

  it('says what is missing: unrated requests, small samples, no signals at all', async () => {
    const r = await qualityMetrics(ctx.db(), ctx.query());
    expect(r.data_gaps).toEqual([
      'only 15 requests with a quality signal: confidence intervals are wide',
      '5 of 20 requests have no quality signal and are left out of quality averages',
    ]);
    const unrated = await qualityMetrics(ctx.db(), ctx.query({ task_types: ['summarization'] }));
    expect(unrated).toMatchObject({ sample_size: 2, rated_requests: 0, avg_quality: null, avg_quality_ci95: null, quality_cost_correlation: null });
    expect(unrated.data_gaps[0]).toMatch(/^no quality signals in this window: quality metrics unavailable/);
    const failuresOnly = await qualityMetrics(ctx.db(), ctx.query({ task_types: ['coding'], from: '2026-01-05T15:00:00Z', to: '2026-01-05T16:00:00Z' }));
    expect(failuresOnly.quality_sources).toEqual({ user: 0, judge: 0, completion: 2 });
    expect(failuresOnly.data_gaps.some((g) => g.startsWith('every quality value comes from failed'))).toBe(true);
    const empty = await qualityMetrics(ctx.emptyDb(), ctx.query());
    expect(empty).toMatchObject({ sample_size: 0, completion_rate: null, by_model: [] });
  });
});
