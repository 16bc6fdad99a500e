import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './metrics.ts';

/** The same counts through prom-client directly, for comparison. */
function direct(): { registry: Registry; requests: Counter<string>; cost: Counter<string>; tokens: Counter<string> } {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({ name: 'aigw_requests_total', help: 'h', labelNames: ['model', 'provider', 'status_class', 'stream'], registers: [registry] }),
    cost: new Counter({ name: 'aigw_cost_usd_total', help: 'h', labelNames: ['model'], registers: [registry] }),
    tokens: new Counter({ name: 'aigw_tokens_total', help: 'h', labelNames: ['model', 'kind'], registers: [registry] }),
  };
}

async function values(registry: Registry, name: string): Promise<Array<{ labels: object; value: number }>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const list = (metric?.values ?? []) as Array<{ labels: Record<string, unknown>; value: number }>;
  return list.map((v) => ({ labels: v.labels, value: v.value })).sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

describe('RequestCounts', () => {
  it('reads the same counters as incrementing prom-client on every request, across reads', async () => {
    const m = new GatewayMetrics();
    const d = direct();
    const requests: Array<[string, string, number, boolean]> = [
      ['sim-mini', 'sim', 200, false],
      ['sim-mini', 'sim', 200, false],
      ['sim-mini', 'sim', 502, true],
      ['none', 'none', 0, false],
      ['sim-pro', 'other', 429, true],
      ['sim-pro', 'other', 799, false],
    ];
    for (const [round, batch] of [requests.slice(0, 3), requests.slice(3)].entries()) {
      for (const [model, provider, status, stream] of batch) {
        m.counts.request(model, provider, status, stream);
        d.requests.inc({ model, provider, status_class: `${Math.floor(status / 100)}xx`, stream: String(stream) });
        m.counts.cost(model, 0.25 * (round + 1));
        d.cost.inc({ model }, 0.25 * (round + 1));
        m.counts.tokens(model, 0, 10);
        m.counts.tokens(model, 3, 7 + round);
        d.tokens.inc({ model, kind: 'input' }, 10);
        d.tokens.inc({ model, kind: 'output' }, 7 + round);
      }
      for (const name of ['aigw_requests_total', 'aigw_cost_usd_total', 'aigw_tokens_total']) {
        expect(await values(m.registry, name)).toEqual(await values(d.registry, name));
      }
    }
    const text = await m.render();
    expect(text).toContain('aigw_requests_total{model="sim-mini",provider="sim",status_class="2xx",stream="false"} 2');
    expect(text).toContain('aigw_requests_total{model="sim-pro",provider="other",status_class="7xx",stream="false"} 1');
    expect(text).toContain('aigw_tokens_total{model="sim-mini",kind="output"} 21');
  });
});
