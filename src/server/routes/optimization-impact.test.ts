import { describe, expect, it } from 'vitest';
import { makeRequestRow } from '../../store/store-test-support.ts';
import type { FeedbackRow } from '../../store/types.ts';
import type { OptimizationJson } from '../../pipeline/optimization-record.ts';
import { optimizationImpact } from './optimization-impact.ts';

const usage = { input_tokens: 100, cached_input_tokens: 0, cache_write_tokens: 0, output_tokens: 500, reasoning_tokens: 0 };

function optimization(overrides: Partial<OptimizationJson> = {}): OptimizationJson {
  return {
    technique: 'self_consistency',
    source: 'router',
    options: { k: 5 },
    recommendation: {
      decision_id: 'dec_1',
      candidate: 'cheap+self_consistency(k=5)',
      predicted_quality: 0.8,
      est_cost_usd: 0.002,
      plain_predicted_quality: 0.7,
      plain_est_cost_usd: 0.0004,
    },
    params_sent: { model: 'cheap', temperature: null, top_p: null, max_tokens: null },
    bounds: { max_upstream_requests: 5, max_completion_tokens: 10240 },
    upstream_calls: 1,
    calls: [],
    usage,
    cost_usd: 0.002,
    plain_estimate_usd: 0.0005,
    ...overrides,
  };
}

function feedback(source: string, score: number): FeedbackRow {
  return { id: `f-${source}`, request_id: 'r1', source, score, comment: null, created_at: 0 };
}

describe('optimizationImpact', () => {
  it('holds the cost against the plain estimate and the observed quality against the prediction', () => {
    const row = makeRequestRow({ id: 'r1', optimization: JSON.stringify(optimization()) });
    const impact = optimizationImpact(row, [feedback('judge', 0.5), feedback('user', 1)]);
    expect(impact.extra_cost_usd).toBeCloseTo(0.0015, 15);
    expect(impact.cost_vs_plain).toBeCloseTo(4, 12);
    // A person's score wins over the judge's.
    expect(impact.quality.score).toBe(1);
    expect(impact.quality.vs_predicted).toBeCloseTo(0.2, 12);
    expect(impact.quality.signals.map((s) => s.source)).toEqual(['judge', 'user']);
  });

  it('has no ratio without a plain estimate, and no comparison without a router prediction', () => {
    const json = optimization({ source: 'body', plain_estimate_usd: 0 });
    delete json.recommendation;
    const impact = optimizationImpact(makeRequestRow({ optimization: JSON.stringify(json) }), [feedback('user', 0.4)]);
    expect(impact.cost_vs_plain).toBeNull();
    expect(impact.quality).toMatchObject({ score: 0.4, vs_predicted: null });
  });

  it('scores a failed technique 0 before anyone rates it, like every analysis does', () => {
    const impact = optimizationImpact(makeRequestRow({ status: 503, optimization: JSON.stringify(optimization({ error: 'no upstream' })) }), []);
    expect(impact.quality.score).toBe(0);
  });
});
