import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.ts';
import { LiveStats } from './live-stats.ts';
import { analysis, fakePredictor } from './policy/policy-fixtures.test-support.ts';
import { createRouter } from './router.ts';

const PROVIDERS = [
  { id: 'openai', type: 'openai', base_url: 'https://api.openai.com/v1' },
  { id: 'local', type: 'openai', base_url: 'http://127.0.0.1:11434/v1' },
];

function routerFor(virtualModels?: Record<string, unknown>) {
  const config = parseConfig({
    providers: PROVIDERS,
    // The fake predictor rates models it does not know at 0.5: the floor lets both qualify.
    routing: { default_min_quality: 0.1, ...(virtualModels ? { virtual_models: virtualModels } : {}) },
    models: [
      { id: 'gpt-4o-mini', provider: 'openai' },
      { id: 'llama-local', provider: 'local' },
    ],
  });
  return createRouter({ config, predictor: fakePredictor, analyze: () => analysis('chat', 0.2, 100), liveStats: new LiveStats() });
}

describe('a model with no known price', () => {
  it('is never an `auto` candidate: at a silent $0 it would win every cost comparison', () => {
    const outcome = routerFor().decide({ routingModel: 'auto', messages: [{ role: 'user', content: 'hi' }] });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.decision.candidates.map((c) => c.model)).toEqual(['gpt-4o-mini']);
  });

  it('is routed to when a virtual model lists it on purpose', () => {
    const outcome = routerFor({ local: { goal: 'cost', candidates: ['llama-local'] } }).decide({
      routingModel: 'local',
      messages: [{ role: 'user', content: 'hi' }],
    });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.decision.chosenModel).toBe('llama-local');
  });
});
