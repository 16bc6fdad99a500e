import { describe, expect, it } from 'vitest';
import type { AbArmStats, RuleStats } from '../recommend/decision-analysis.ts';
import { abVerdict } from './report-decisions.ts';

const arm = (fires: number, qualitySamples: number): RuleStats => ({
  rule: 'r',
  fires,
  avgCostUsd: 0,
  totalCostUsd: 0,
  avgLatencyMs: 0,
  avgQuality: 0.8,
  qualitySamples,
});
const ab = (delta: number | null, ci: [number, number] | null, costDeltaUsd = -0.0001, rated = 40): AbArmStats => ({
  rule: 'try-mini',
  applied: arm(rated, rated),
  holdout: arm(rated, rated),
  qualityDelta: delta,
  qualityDeltaCi95: ci,
  costDeltaUsd,
});

describe('abVerdict: what the next report says about an A/B split', () => {
  it('rolls out when the whole interval is above 0, rolls back when it is below', () => {
    expect(abVerdict(ab(0.06, [0.04, 0.08]))).toBe(
      'applied arm scores higher (quality +0.060, 95% CI +0.040…+0.080) and saves $0.000100 per request: roll out to 100%',
    );
    expect(abVerdict(ab(-0.05, [-0.09, -0.01], 0.0002))).toBe('applied arm scores lower (quality -0.050, 95% CI -0.090…-0.010): roll the rule back');
  });

  it('calls an interval across 0 no measurable difference, and names a thin arm', () => {
    expect(abVerdict(ab(-0.01, [-0.05, 0.03], -0.0003, 12))).toBe(
      'no measurable quality difference (95% CI -0.050…+0.030); it saves $0.000300 per request (only 12 rated requests on the smaller arm; 30 wanted)',
    );
  });

  it('waits when an arm has no quality signal', () => {
    expect(abVerdict(ab(null, null))).toBe('no quality signal on one arm yet: keep collecting feedback before deciding');
  });
});
