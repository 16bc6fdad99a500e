import { describe, expect, it } from 'vitest';
import { planDemoRequests } from './demo-plan.ts';
import type { GatewayCatalog } from './gateway-catalog.ts';
import { generateDemoPrompts } from './prompts.ts';

const CATALOG: GatewayCatalog = {
  routingModels: ['auto', 'auto-cost', 'auto-quality', 'auto-speed'],
  models: [
    { id: 'small', pricing: { input: 0.1, output: 0.4 }, capabilities: ['streaming'], simulated: true },
    { id: 'big', pricing: { input: 5, output: 15 }, capabilities: ['streaming', 'tools', 'json'], simulated: true },
  ],
};

describe('planDemoRequests', () => {
  const prompts = generateDemoPrompts(400, 2);

  it('mixes routing models, named models and streaming, the same way for the same seed', () => {
    const plan = planDemoRequests(prompts, CATALOG, 2);
    expect(planDemoRequests(prompts, CATALOG, 2)).toEqual(plan);
    const share = (model: string) => plan.filter((r) => r.model === model).length / plan.length;
    expect(share('auto')).toBeGreaterThan(0.4);
    expect(share('auto-cost')).toBeGreaterThan(0.08);
    expect(share('auto-quality')).toBeGreaterThan(0.08);
    expect(share('small') + share('big')).toBeGreaterThan(0.12);
    expect(share('auto-speed')).toBe(0);
    const streamed = plan.filter((r) => r.stream).length / plan.length;
    expect(streamed).toBeGreaterThan(0.15);
    expect(streamed).toBeLessThan(0.35);
    expect(plan.map((r) => r.index)).toEqual(prompts.map((_, i) => i));
  });

  it('names only models that have the tools and JSON support a prompt needs', () => {
    for (const r of planDemoRequests(prompts, CATALOG, 2)) {
      if (r.model === 'small') expect(r.prompt.tools ?? r.prompt.jsonMode ?? null).toBeNull();
    }
  });

  it('names models only when the gateway has no routing models', () => {
    const plan = planDemoRequests(prompts.slice(0, 30), { ...CATALOG, routingModels: [] }, 1);
    expect(new Set(plan.map((r) => r.model))).toEqual(new Set(['small', 'big']));
  });
});
