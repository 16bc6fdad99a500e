import { describe, expect, it } from 'vitest';
import { mostExpensiveModel, parseCatalog } from './gateway-catalog.ts';

const LISTING = [
  { id: 'cheap', object: 'model', aigw: { tier: 'economy', pricing_usd_per_mtok: { input: 0.1, output: 0.4 }, capabilities: ['json'], simulated: true } },
  { id: 'pricey-out', object: 'model', aigw: { pricing_usd_per_mtok: { input: 1, output: 40, reasoning: 50, future_field: 3 }, simulated: true } },
  { id: 'pricey-in', object: 'model', aigw: { pricing_usd_per_mtok: { input: 12, output: 12 }, capabilities: ['tools'] } },
  { id: 'auto', object: 'model', owned_by: 'aigw-router', aigw: { routing: true, goal: 'balanced' } },
  { id: 'plain-openai-entry', object: 'model' },
];

describe('parseCatalog', () => {
  it('separates priced models from routing models and ignores entries without the aigw extension', () => {
    const catalog = parseCatalog(LISTING);
    expect(catalog.routingModels).toEqual(['auto']);
    expect(catalog.models.map((m) => m.id)).toEqual(['cheap', 'pricey-out', 'pricey-in']);
    expect(catalog.models[0]).toEqual({ id: 'cheap', pricing: { input: 0.1, output: 0.4 }, capabilities: ['json'], simulated: true });
    expect(catalog.models[1]!.pricing).toEqual({ input: 1, output: 40, reasoning: 50 });
    expect(catalog.models[2]!.simulated).toBe(false);
  });
});

describe('mostExpensiveModel', () => {
  it('ranks on a 3:1 input:output blend', () => {
    // pricey-out blends to (3 + 40) / 4 = 10.75, pricey-in to 12.
    expect(mostExpensiveModel(parseCatalog(LISTING).models)?.id).toBe('pricey-in');
    expect(mostExpensiveModel([])).toBeUndefined();
  });
});
