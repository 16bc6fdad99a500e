import { describe, expect, it } from 'vitest';
import { ModelConfig, ProviderConfig, ReliabilityConfig } from '../config/schema.ts';
import { UpstreamCallError } from '../providers/upstream-client.ts';
import type { UpstreamError, UpstreamTarget } from '../providers/types.ts';
import { callWithFallback } from './call-with-fallback.ts';
import { BreakerRegistry } from './circuit-breaker.ts';

const provider = ProviderConfig.parse({ id: 'p', type: 'openai', base_url: 'http://127.0.0.1:1/v1' });
const target = (id: string): UpstreamTarget => ({
  model: ModelConfig.parse({ id, provider: 'p', pricing: { input: 1, output: 2 }, context_window: 1000, max_output_tokens: 100 }),
  provider,
  apiKey: undefined,
});
const reliability = ReliabilityConfig.parse({ max_retries: 2, backoff_base_ms: 1, backoff_max_ms: 2 });
const fail = (e: Partial<UpstreamError> & { kind: UpstreamError['kind'] }) => new UpstreamCallError({ status: 500, message: e.kind, ...e });

describe('callWithFallback', () => {
  it('leaves the breaker to the caller with callerRecordsSuccess: failures before the success still count', async () => {
    const breakers = new BreakerRegistry({ failureThreshold: 2, cooldownMs: 1000 });
    let calls = 0;
    const attempt = async () => {
      calls++;
      if (calls === 1) throw fail({ kind: 'server_error' });
      return 'ok';
    };
    const out = await callWithFallback([target('a')], attempt, { breakers, reliability, callerRecordsSuccess: true });
    expect(out.ok).toBe(true);
    // The failed first try is not wiped by the open stream: one more failure opens the breaker.
    breakers.get('a').recordFailure(0);
    expect(breakers.get('a').state(0)).toBe('open');
  });

  it('retries a retryable error on the same model, then succeeds', async () => {
    let calls = 0;
    const out = await callWithFallback(
      [target('a'), target('b')],
      async (t) => {
        calls++;
        if (calls < 3) throw fail({ kind: 'server_error' });
        return t.model.id;
      },
      { breakers: new BreakerRegistry({ failureThreshold: 10, cooldownMs: 1000 }), reliability },
    );
    expect(out.ok && out.value).toBe('a');
    expect(out.attempts.map((a) => a.ok)).toEqual([false, false, true]);
  });

  it('falls back to the next model once retries are spent', async () => {
    const seen: string[] = [];
    const out = await callWithFallback(
      [target('a'), target('b')],
      async (t) => {
        seen.push(t.model.id);
        if (t.model.id === 'a') throw fail({ kind: 'rate_limited', status: 429, retryAfterMs: 1 });
        return 'ok';
      },
      { breakers: new BreakerRegistry({ failureThreshold: 10, cooldownMs: 1000 }), reliability },
    );
    expect(out.ok).toBe(true);
    expect(seen).toEqual(['a', 'a', 'a', 'b']);
  });

  it('does not wait for a retry-after beyond the cap: goes to the next model at once', async () => {
    const seen: string[] = [];
    const out = await callWithFallback(
      [target('a'), target('b')],
      async (t) => {
        seen.push(t.model.id);
        if (t.model.id === 'a') throw fail({ kind: 'rate_limited', status: 429, retryAfterMs: 60_000 });
        return 'ok';
      },
      { breakers: new BreakerRegistry({ failureThreshold: 10, cooldownMs: 1000 }), reliability },
    );
    expect(out.ok).toBe(true);
    expect(seen).toEqual(['a', 'b']);
  });

  it('stops at a client fault without trying other models', async () => {
    const seen: string[] = [];
    const out = await callWithFallback(
      [target('a'), target('b')],
      async (t) => {
        seen.push(t.model.id);
        throw fail({ kind: 'bad_request', status: 400 });
      },
      { breakers: new BreakerRegistry({ failureThreshold: 10, cooldownMs: 1000 }), reliability },
    );
    expect(out.ok).toBe(false);
    expect(!out.ok && out.clientFault).toBe(true);
    expect(seen).toEqual(['a']);
  });

  it('skips a model whose breaker is open', async () => {
    const breakers = new BreakerRegistry({ failureThreshold: 1, cooldownMs: 60_000 });
    breakers.get('a').recordFailure(Date.now());
    const out = await callWithFallback([target('a'), target('b')], async (t) => t.model.id, { breakers, reliability });
    expect(out.ok && out.value).toBe('b');
    expect(out.attempts[0]).toMatchObject({ model: 'a', errorKind: 'breaker_open' });
  });

  it('reports the last error when every candidate fails', async () => {
    const out = await callWithFallback(
      [target('a')],
      async () => {
        throw fail({ kind: 'timeout', status: 504 });
      },
      { breakers: new BreakerRegistry({ failureThreshold: 10, cooldownMs: 1000 }), reliability },
    );
    expect(!out.ok && out.error.kind).toBe('timeout');
    expect(out.attempts).toHaveLength(1);
  });
});
