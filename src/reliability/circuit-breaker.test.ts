import { describe, expect, it } from 'vitest';
import { BreakerRegistry, CircuitBreaker } from './circuit-breaker.ts';

describe('CircuitBreaker', () => {
  const opts = { failureThreshold: 3, cooldownMs: 1000 };

  it('opens after consecutive failures, not after interleaved ones', () => {
    const b = new CircuitBreaker(opts);
    b.recordFailure(0);
    b.recordFailure(0);
    b.recordSuccess();
    b.recordFailure(0);
    b.recordFailure(0);
    expect(b.state(0)).toBe('closed');
    b.recordFailure(10);
    expect(b.state(10)).toBe('open');
    expect(b.tryAcquire(500)).toBe(false);
  });

  it('lets one half-open probe through after the cooldown', () => {
    const b = new CircuitBreaker(opts);
    for (let i = 0; i < 3; i++) b.recordFailure(0);
    expect(b.state(1000)).toBe('half_open');
    expect(b.tryAcquire(1000)).toBe(true);
    expect(b.tryAcquire(1001)).toBe(false);
    b.recordSuccess();
    expect(b.state(1002)).toBe('closed');
    expect(b.tryAcquire(1002)).toBe(true);
  });

  it('reopens for another cooldown when the probe fails', () => {
    const b = new CircuitBreaker(opts);
    for (let i = 0; i < 3; i++) b.recordFailure(0);
    expect(b.tryAcquire(1500)).toBe(true);
    b.recordFailure(1500);
    expect(b.state(2000)).toBe('open');
    expect(b.tryAcquire(2499)).toBe(false);
    expect(b.tryAcquire(2500)).toBe(true);
  });

  it('reports since when a breaker has not been closed, across failed probes, until a success closes it', () => {
    const reg = new BreakerRegistry(opts);
    for (let i = 0; i < 3; i++) reg.get('m').recordFailure(100);
    reg.get('ok').recordSuccess();
    expect(reg.notClosed()).toEqual([{ model: 'm', openSinceMs: 100 }]);
    expect(reg.get('m').tryAcquire(1100)).toBe(true);
    reg.get('m').recordFailure(1100);
    expect(reg.notClosed()).toEqual([{ model: 'm', openSinceMs: 100 }]);
    expect(reg.get('m').tryAcquire(2100)).toBe(true);
    reg.get('m').recordSuccess();
    expect(reg.notClosed()).toEqual([]);
  });
});
