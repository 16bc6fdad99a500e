import { expect, it } from 'vitest';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { modelPerformance } from './model-performance.ts';

describeOnKnownHistory('modelPerformance on the known history', (ctx) => {
  it('gives quality, latency, cost efficiency and reliability per model × task type', async () => {
    const r = await modelPerformance(ctx.db(), ctx.query());
    expect(r.sample_size).toBe(20);
    expect(r.models.map((m) => [m.model, m.task_type, m.requests])).toEqual([
      ['gpt-4o-mini', 'qa', 10],
      ['gpt-4o', 'coding', 8],
      ['gpt-4o-mini', 'summarization', 2],
    ]);
    const mini = r.models[0];
    expect(mini).toMatchObject({
      rated: 7,
      avg_latency_ms: 560,
      p95_latency_ms: 800,
      avg_cost_usd: 0.001,
      total_cost_usd: 0.01,
      error_rate: 0,
      timeout_rate: 0,
      reliability: 1,
    });
    expect(mini?.quality_per_dollar).toBeCloseTo(621.429, 2);
    expect(r.models[1]).toMatchObject({
      rated: 8,
      avg_quality: 0.675,
      avg_latency_ms: 8625,
      p95_latency_ms: 30_000,
      avg_cost_usd: 0.0075,
      quality_per_dollar: 90,
      error_rate: 0.25,
      timeout_rate: 0.25,
      reliability: 0.75,
    });
    expect(r.models[2]).toMatchObject({ rated: 0, avg_quality: null, quality_per_dollar: null, avg_cost_usd: 0.001 });
  });

  it('rolls the cells up per model', async () => {
    const r = await modelPerformance(ctx.db(), ctx.query());
    expect(r.by_model.map((m) => [m.model, m.task_type, m.requests, m.rated, m.avg_latency_ms, m.p95_latency_ms])).toEqual([
      ['gpt-4o-mini', '(all)', 12, 7, 566.667, 800],
      ['gpt-4o', '(all)', 8, 8, 8625, 30_000],
    ]);
    expect(r.data_gaps).toEqual(['2 of 3 model × task type cells have fewer than 30 rated requests: their quality intervals are wide']);
  });

  it('returns empty lists and the reason on an empty store', async () => {
    const r = await modelPerformance(ctx.emptyDb(), ctx.query());
    expect(r).toEqual({
      sample_size: 0,
      data_gaps: ['no requests that reached a model in this window: model performance unavailable'],
      models: [],
      by_model: [],
    });
  });
});
