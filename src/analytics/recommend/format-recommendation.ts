import type { ExpectedImpact, RuleRecommendation } from './types.ts';

const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
const q = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3));

/** One line of numbers, all from the replay. */
export function describeImpact(i: ExpectedImpact): string {
  return (
    `${pct(i.costChangePct)} cost ($${i.costChangeUsd.toFixed(4)} over the window; $${i.avgCostUsdBefore.toFixed(6)} → $${i.avgCostUsdAfter.toFixed(6)} per request), ` +
    `quality ${q(i.avgQualityBefore)} → ${q(i.avgQualityAfter)} (matched requests ${q(i.segmentQualityBefore)} → ${q(i.segmentQualityAfter)}), ` +
    `latency ${pct(i.latencyChangePct)}; ${i.affectedRequests} of ${i.requests} requests (${(i.affectedShare * 100).toFixed(1)}%) switch model`
  );
}

/** A recommendation in the seed's "Routing Rule Recommendations" format, with the rule as a config snippet. */
export function formatRecommendationMarkdown(rec: RuleRecommendation): string {
  return [
    `### ${rec.category}: ${rec.title}`,
    `- **ID**: \`${rec.id}\` (apply with \`aigw rules apply ${rec.id} [--percent P]\`)`,
    `- **Current State**: ${rec.currentState}`,
    `- **Recommended Change**: ${rec.recommendedChange}`,
    `- **Traffic It Touches**: ${rec.scope}`,
    `- **Expected Impact**: ${describeImpact(rec.expectedImpact)}`,
    `- **Implementation Effort**: ${rec.effort}`,
    `- **Risk Level**: ${rec.risk.level} — ${rec.risk.qualityRisk}`,
    `- **Validation Criteria**: ${rec.validationCriteria.join('; ')}`,
    `- **Confidence**: ${rec.confidence}`,
    `- **Rationale**: ${rec.rationale}`,
    '',
    '```yaml',
    rec.ruleYaml.trimEnd(),
    '```',
  ].join('\n');
}
