import type { ExpectedImpact, RuleRecommendation } from './types.ts';
import { costChangeWords, intervalWords, latencyChangeWords, qualityChangeWords } from './wording.ts';

/** One line of numbers, all from the replay, each change's direction in words. */
export function describeImpact(i: ExpectedImpact): string {
  return (
    `${costChangeWords(i.costChangePct, i.costChangeUsd)}; $${i.avgCostUsdBefore.toFixed(6)} → $${i.avgCostUsdAfter.toFixed(6)} per request; ` +
    `quality ${qualityChangeWords(i.avgQualityBefore, i.avgQualityAfter)}, on the matched requests ${qualityChangeWords(i.segmentQualityBefore, i.segmentQualityAfter)}${intervalWords(i)}; ` +
    `${latencyChangeWords(i.latencyChangePct)}; ${i.affectedRequests} of ${i.requests} requests (${(i.affectedShare * 100).toFixed(1)}%) switch model`
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
