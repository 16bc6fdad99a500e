import { describe, expect, it } from 'vitest';
import { parseRoutingOverrides } from './parse-overrides.ts';

describe('parseRoutingOverrides', () => {
  it('reads the x-aigw-* headers', () => {
    const result = parseRoutingOverrides(
      { 'x-aigw-goal': 'cost', 'x-aigw-min-quality': '0.85', 'x-aigw-max-cost-usd': '0.002', 'x-aigw-max-latency-ms': '1500' },
      undefined,
    );
    expect(result).toEqual({ ok: true, overrides: { goal: 'cost', minQuality: 0.85, maxCostUsd: 0.002, maxLatencyMs: 1500 } });
  });

  it('reads the aigw body field, which wins over a header', () => {
    const result = parseRoutingOverrides({ 'x-aigw-goal': 'speed', 'x-aigw-min-quality': '0.6' }, { goal: 'quality', max_cost_usd: 0 });
    expect(result).toEqual({ ok: true, overrides: { goal: 'quality', minQuality: 0.6, maxCostUsd: 0 } });
  });

  it('returns nothing to override when nothing is sent', () => {
    expect(parseRoutingOverrides({ 'content-type': 'application/json' }, null)).toEqual({ ok: true, overrides: {} });
  });

  it.each([
    [{ 'x-aigw-goal': 'cheap' }, 'x-aigw-goal', 'must be one of cost, speed, quality, balanced'],
    [{ 'x-aigw-min-quality': '1.5' }, 'x-aigw-min-quality', 'between 0 and 1'],
    [{ 'x-aigw-min-quality': '' }, 'x-aigw-min-quality', 'must be a number'],
    [{ 'x-aigw-max-cost-usd': '-1' }, 'x-aigw-max-cost-usd', '0 or more'],
    [{ 'x-aigw-max-cost-usd': 'lots' }, 'x-aigw-max-cost-usd', 'must be a number'],
    [{ 'x-aigw-max-latency-ms': '0' }, 'x-aigw-max-latency-ms', 'more than 0'],
    [{ 'x-aigw-goal': ['cost', 'speed'] }, 'x-aigw-goal', 'given once'],
  ])('rejects headers %j naming %s', (headers, param, message) => {
    const result = parseRoutingOverrides(headers, undefined);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.param).toBe(param);
      expect(result.error.message).toContain(message);
    }
  });

  it.each([
    [{ min_quality: '0.8' }, 'aigw.min_quality', 'must be a number'],
    [{ max_latency_ms: -5 }, 'aigw.max_latency_ms', 'more than 0'],
    [{ goal: 'fast' }, 'aigw.goal', 'must be one of'],
    [{ budget: 1 }, 'aigw.budget', 'not a routing control'],
    ['cost', 'aigw', 'must be an object'],
  ])('rejects body field %j naming %s', (body, param, message) => {
    const result = parseRoutingOverrides({}, body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.param).toBe(param);
      expect(result.error.message).toContain(message);
    }
  });
});
