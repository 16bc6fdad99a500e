import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.ts';
import { Catalog } from './catalog.ts';
import { DEFAULT_FLEET, fleetCatalog } from '../sim/fleet.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { ApiKeyRow } from '../store/types.ts';
import type { TechniqueSelection } from '../optimizer/optillm-conventions.ts';
import { GatewayError } from '../util/errors.ts';
import { chooseTechnique, conventionDeps } from './optimized-completion.ts';
import type { RoutePlan } from './plan-route.ts';

const fleet = fleetCatalog(DEFAULT_FLEET, 'http://127.0.0.1:9');
function gatewayWith(optimizer: Record<string, unknown>) {
  const config = parseConfig({ providers: fleet.providers, models: fleet.models, optimizer });
  return { config, catalog: new Catalog(config, {}) };
}

const key = (id: string, name: string) => ({ key: { id, name } as ApiKeyRow });
const noKey = { key: undefined };
const plainPlan: RoutePlan = { targets: [], decision: undefined };
const routerPlan: RoutePlan = { targets: [], decision: undefined, technique: { spec: 'self_consistency', options: { k: 5 } } };
const asked = (spec: string): TechniqueSelection => ({ spec, options: {}, source: 'body' });

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('chooseTechnique', () => {
  const on = gatewayWith({ disabled_keys: ['batch', 'key_123'] });

  it("runs the client's technique, else the router's, and treats none as a plain call", () => {
    expect(chooseTechnique(on, noKey, asked('moa'), routerPlan)).toEqual(asked('moa'));
    expect(chooseTechnique(on, noKey, undefined, routerPlan)).toEqual({ spec: 'self_consistency', options: { k: 5 }, source: 'router' });
    expect(chooseTechnique(on, noKey, asked('none'), routerPlan)).toBeUndefined();
    expect(chooseTechnique(on, noKey, undefined, plainPlan)).toBeUndefined();
  });

  it('refuses a client selector for a key listed by name or id, and drops the router technique for it', () => {
    for (const k of [key('key_9', 'batch'), key('key_123', 'other')]) {
      const err = refusal(() => chooseTechnique(on, k, asked('re2'), plainPlan));
      expect(err).toMatchObject({ status: 400, code: 'optimizer_disabled' });
      expect(err.message).toContain('off for this API key');
      expect(chooseTechnique(on, k, undefined, routerPlan)).toBeUndefined();
    }
    expect(chooseTechnique(on, key('key_1', 'web'), asked('re2'), plainPlan)).toEqual(asked('re2'));
  });

  it("drops the router's technique when it cannot serve the request: tools, or more choices than its samples", () => {
    const request = (extra: Partial<ChatRequest>): ChatRequest => ({ model: 'auto', messages: [{ role: 'user', content: 'What is 6 * 7?' }], ...extra });
    const tools = [{ type: 'function' as const, function: { name: 'calc' } }];
    expect(chooseTechnique(on, noKey, undefined, routerPlan, request({ tools }))).toBeUndefined();
    expect(chooseTechnique(on, noKey, undefined, routerPlan, request({ n: 6 }))).toBeUndefined();
    // k = 5 samples serve up to five choices.
    expect(chooseTechnique(on, noKey, undefined, routerPlan, request({ n: 5 }))).toMatchObject({ spec: 'self_consistency', source: 'router' });
    // A client's own selector is not dropped: its request is refused later, naming the parameter.
    expect(chooseTechnique(on, noKey, asked('moa'), routerPlan, request({ tools }))).toEqual(asked('moa'));
  });

  it('refuses every client selector when the optimizer is off globally', () => {
    const off = gatewayWith({ enabled: false });
    const err = refusal(() => chooseTechnique(off, noKey, asked('re2'), plainPlan));
    expect(err.message).toContain('optimizer is off on this gateway (optimizer.enabled: false)');
    expect(chooseTechnique(off, noKey, undefined, routerPlan)).toBeUndefined();
  });
});

describe('conventionDeps', () => {
  it('knows every registered technique and resolves configured and routing models', () => {
    const deps = conventionDeps(gatewayWith({}));
    expect(deps.techniques).toEqual(expect.arrayContaining(['none', 're2', 'self_consistency', 'moa', 'mcts']));
    expect(deps.resolvesModel('sim-mini')).toBe(true);
    expect(deps.resolvesModel('auto')).toBe(true);
    expect(deps.resolvesModel('moa-sim-mini')).toBe(false);
  });
});
