import { describe, expect, it } from 'vitest';
import type { RouteDecision } from '../router/types.ts';
import { printRouteDecision } from './print-routes.ts';

describe('printRouteDecision', () => {
  it('shows the task type, complexity and detected language of the prompt', () => {
    const decision: RouteDecision = {
      id: 'd1',
      routingModel: 'auto',
      taskType: 'translation',
      complexity: 0.31,
      language: 'fr',
      constraints: { goal: 'balanced', minQuality: 0.7 },
      chosenModel: 'small',
      candidates: [{ model: 'small', predictedQuality: 0.82, estCostUsd: 0.0002, estLatencyMs: 600, score: 0.9, eligible: true }],
      fallbacks: [],
      rulesFired: [],
      rationale: 'translation, complexity 0.31: small predicted 0.82 ≥ required 0.70',
      routerVersion: 'policy-test',
      decisionUs: 42,
    };
    const lines: string[] = [];
    printRouteDecision(decision, (line) => lines.push(line));
    expect(lines).toContain('task:       translation, complexity 0.31, language fr');
  });
});
