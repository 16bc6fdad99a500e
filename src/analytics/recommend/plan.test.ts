import { describe, expect, it } from 'vitest';
import { goalConflicts } from './plan.ts';
import type { GoalScenario } from './types.ts';

const scenario = (goal: GoalScenario['goal'], avgCostUsd: number, avgQuality: number | null, avgLatencyMs: number): GoalScenario => ({
  goal,
  recommendationCount: 1,
  avgCostUsd,
  avgQuality,
  avgLatencyMs,
  costChangePct: 0,
});

describe('goalConflicts: where goals and constraints pull apart', () => {
  it('presents the cost–quality trade-off with the balanced approach', () => {
    const s = [
      scenario('cost', 0.001, 0.82, 300),
      scenario('speed', 0.002, 0.83, 200),
      scenario('quality', 0.01, 0.93, 900),
      scenario('balanced', 0.002, 0.86, 250),
    ];
    expect(goalConflicts(s, { goal: 'cost', maxCostUsdPerRequest: undefined, minQuality: 0.8 })).toEqual([
      'cost and quality trade off: cost: $0.001000/request at quality 0.820, 300 ms versus quality: $0.010000/request at quality 0.930, 900 ms; the balanced approach: balanced: $0.002000/request at quality 0.860, 250 ms.',
    ]);
  });

  it('says plainly when no goal meets both constraints, and asks for a priority', () => {
    const s = [scenario('cost', 0.004, 0.7, 300), scenario('quality', 0.02, 0.9, 900)];
    expect(goalConflicts(s, { goal: 'quality', maxCostUsdPerRequest: 0.003, minQuality: 0.8 })[0]).toBe(
      'no goal meets both cost < $0.003 and quality > 0.8; the scenarios: cost: $0.004000/request at quality 0.700, 300 ms; quality: $0.020000/request at quality 0.900, 900 ms. Prioritise one constraint: raise the cost cap or lower the quality floor.',
    );
  });

  it("points out another goal's rule set that does better on the chosen goal", () => {
    const s = [scenario('cost', 0.00283, 0.821, 237), scenario('speed', 0.00267, 0.824, 211), scenario('quality', 0.0117, 0.822, 394)];
    expect(goalConflicts(s, { goal: 'cost', maxCostUsdPerRequest: 0.01, minQuality: 0.8 })).toEqual([
      'the rules found for goal speed do better on cost than those found for cost (speed: $0.002670/request at quality 0.824, 211 ms versus cost: $0.002830/request at quality 0.821, 237 ms): compare both sets (aigw report --goal speed) before applying.',
    ]);
    // Within 1%: not worth a statement.
    expect(
      goalConflicts([scenario('cost', 0.00283, 0.821, 237), scenario('speed', 0.00282, 0.824, 211)], {
        goal: 'cost',
        maxCostUsdPerRequest: undefined,
        minQuality: 0.8,
      }),
    ).toEqual([]);
  });
});
