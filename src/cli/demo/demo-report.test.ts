import { describe, expect, it } from 'vitest';
import { simOutcome } from '../../sim/answer.ts';
import { DEFAULT_FLEET } from '../../sim/fleet.ts';
import { classifySimTaskType } from '../../sim/task-type.ts';
import { simOutcomeFeedback } from './demo-report.ts';
import { generateDemoPrompts } from './prompts.ts';
import type { DemoRequestResult } from './send-demo-request.ts';

const prompts = generateDemoPrompts(6, 3);
const model = DEFAULT_FLEET.models[0]!.id;

function result(i: number, overrides: Partial<DemoRequestResult> = {}): DemoRequestResult {
  const p = prompts[i]!;
  return {
    index: i,
    promptId: p.id,
    taskType: p.taskType,
    template: p.template,
    modelRequested: 'auto',
    stream: false,
    status: 200,
    errorType: null,
    requestId: `req_${i}`,
    modelUsed: model,
    simulated: true,
    costUsd: 0.001,
    costSource: 'header',
    latencyMs: 10,
    overheadMs: 1,
    usage: null,
    routeRule: null,
    ...overrides,
  };
}

describe('simOutcomeFeedback', () => {
  it('scores each simulated answer with the draw the fleet made for it', () => {
    const rows = simOutcomeFeedback([result(0), result(1)], prompts, 5);
    expect(rows).toHaveLength(2);
    rows.forEach((row, i) => {
      const text = prompts[i]!.messages.filter((m) => m.role === 'user').at(-1)!.content;
      expect(row).toMatchObject({
        request_id: `req_${i}`,
        source: 'sim-outcome',
        created_at: 5,
        score: simOutcome(model, text, classifySimTaskType(text), DEFAULT_FLEET, 0) ? 1 : 0,
      });
    });
  });

  it('skips failed, real-provider and unidentified requests', () => {
    expect(simOutcomeFeedback([result(0, { status: 502 }), result(1, { simulated: false }), result(2, { requestId: null })], prompts, 5)).toEqual([]);
  });
});
