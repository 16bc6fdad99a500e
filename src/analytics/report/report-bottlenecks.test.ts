import { describe, expect, it } from 'vitest';
import { BottlenecksOptions, type Bottlenecks } from '../bottlenecks.ts';
import type { CostDrivers } from '../cost-drivers.ts';
import { costFindings, performanceFindings, qualityFindings } from './report-bottlenecks.ts';

const quietBottlenecks = (over: Partial<Bottlenecks> = {}): Bottlenecks => ({
  sample_size: 100,
  data_gaps: [],
  options: BottlenecksOptions.parse({ limit: 2 }),
  slow_decisions: { threshold_ms: 1, routed_requests: 90, count: 0, share: 0, slowest: [] },
  latency_spikes: [],
  error_bursts: [],
  ...over,
});

describe('report bottleneck findings', () => {
  it('says plainly when the window shows no performance bottleneck, and nothing on an empty window', () => {
    expect(performanceFindings(quietBottlenecks()).map((f) => f.finding)).toEqual(['no slow decisions (> 1 ms), latency spikes or error bursts in the window']);
    expect(performanceFindings(quietBottlenecks({ sample_size: 0 }))).toEqual([]);
  });

  it('marks a list cut at the limit as "or more"', () => {
    const spike = { model: 'm', hour_start: '2026-01-01T10:00:00.000Z', requests: 4, avg_latency_ms: 9000, model_median_latency_ms: 1000, ratio: 9 };
    const [finding] = performanceFindings(quietBottlenecks({ latency_spikes: [spike, { ...spike, ratio: 4 }] }));
    expect(finding?.finding).toBe(
      "2 model-hours or more averaged ≥ 3× their model's median latency; worst m at 2026-01-01T10:00:00.000Z: 9000 ms against 1000 ms (9×) over 4 requests",
    );
    expect(finding?.metric).toEqual({ value: 2, unit: 'count', source: 'bottlenecks' });
  });

  it('names premium models on easy requests with their share of spend', () => {
    const drivers: CostDrivers = {
      sample_size: 10,
      data_gaps: [],
      total_cost_usd: 2,
      top_keys: [{ key_id: '(none)', requests: 10, cost_usd: 2, share: 1 }],
      top_task_types: [],
      top_models: [{ model: 'big', requests: 4, cost_usd: 1.5, share: 0.75 }],
      input_tokens: { p50: 100, p90: 200, p99: 300, max: 400 },
      long_prompts: { threshold_tokens: 4000, requests: 0, share_of_requests: 0, cost_usd: 0, share_of_cost: 0 },
      cost_spikes: [],
      premium_low_complexity: { requests: 3, cost_usd: 0.9, share_of_cost: 0.45 },
    };
    expect(costFindings(drivers).map((f) => [f.finding, f.metric.value])).toEqual([
      ['largest shares of the $2.00 spent: model big 75% ($1.50)', 75],
      ['3 low-complexity routed requests went to premium-tier models: $0.9000 (45% of spend)', 45],
    ]);
  });

  it('lists the worst quality cells first, then how many more and how many are too thin to judge', () => {
    const cell = (model: string, q: number, rated = 50) => ({
      model,
      task_type: 'qa',
      requests: rated,
      rated,
      avg_quality: q,
      ci95_low: Number((q - 0.05).toFixed(3)),
      ci95_high: Number((q + 0.05).toFixed(3)),
      completion_rate: 1,
    });
    const qm = {
      rated_requests: 300,
      by_model_task_type: [
        cell('ok', 0.9),
        cell('c', 0.78),
        cell('a', 0.5),
        cell('d', 0.4, 3),
        { ...cell('b', 0.6), task_type: '(none)', ci95_low: 0.5512345 },
      ],
    };
    expect(qualityFindings(qm, 0.8, 2).map((f) => f.finding)).toEqual([
      'a on qa: average quality 0.5 (95% CI 0.45–0.55) over 50 ratings, below 0.8',
      'b on unclassified (model named by the client): average quality 0.6 (95% CI 0.551–0.65) over 50 ratings, below 0.8',
      '1 more model × task type cell below 0.8',
      '1 cell below 0.8 on fewer than 10 ratings each (collect more before acting)',
    ]);
    expect(qualityFindings(qm, 0.8, 3)[2]?.finding).toBe(
      'c on qa: average quality 0.78 (95% CI 0.73–0.83) over 50 ratings, below 0.8 (the interval reaches the threshold: not yet significant)',
    );
    expect(qualityFindings(qm, 0.3).map((f) => [f.finding, f.metric.source])).toEqual([['no model × task type cell averages below 0.3', 'quality_metrics']]);
    expect(qualityFindings({ rated_requests: 0, by_model_task_type: [] }, 0.8)).toEqual([]);
  });
});
