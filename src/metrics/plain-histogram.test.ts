import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './metrics.ts';

const NAMES = ['aigw_request_duration_seconds', 'aigw_overhead_seconds', 'aigw_time_to_first_token_seconds', 'aigw_routing_decision_seconds'];

/** The gateway's histograms as prom-client Histograms with the same names, help, labels and buckets, observed per value. */
function direct(m: GatewayMetrics): { registry: Registry; histograms: Map<string, Histogram<string>> } {
  const registry = new Registry();
  const histograms = new Map<string, Histogram<string>>();
  const labels: Record<string, string[]> = { aigw_request_duration_seconds: ['model', 'stream'], aigw_time_to_first_token_seconds: ['model'] };
  for (const h of [m.latency, m.overhead, m.ttft, m.routingDecisionSeconds]) {
    const buckets = [...h.upperBounds];
    histograms.set(h.name, new Histogram({ name: h.name, help: h.help, labelNames: labels[h.name] ?? [], buckets, registers: [registry] }));
  }
  return { registry, histograms };
}

async function exposition(registry: Registry): Promise<{ text: string[]; json: string }> {
  const text = await Promise.all(NAMES.map((name) => registry.getSingleMetricAsString(name)));
  const json = (await registry.getMetricsAsJSON()).filter((metric) => NAMES.includes(metric.name));
  return { text, json: JSON.stringify(json) };
}

describe('PlainHistogram', () => {
  it('exposes what prom-client Histograms observed per value expose, across reads', async () => {
    const m = new GatewayMetrics();
    const d = direct(m);
    const h = (name: string): Histogram<string> => d.histograms.get(name)!;
    // Before any observation: the unlabelled histograms show a zero series, the labelled ones none.
    expect(await exposition(m.registry)).toEqual(await exposition(d.registry));
    const observations: Array<[string, string, number]> = [
      ['sim-mini', 'false', 0.005],
      ['sim-mini', 'false', 0.0049],
      ['sim-pro', 'true', 120],
      ['sim-mini', 'true', 500],
      ['sim-mini', 'false', 0],
      ['none', 'false', 0.25],
    ];
    for (const batch of [observations.slice(0, 3), observations.slice(3)]) {
      for (const [model, stream, seconds] of batch) {
        m.latency.series(model, stream).observe(seconds);
        h('aigw_request_duration_seconds').observe({ model, stream }, seconds);
        m.overhead.observe(seconds / 1000);
        h('aigw_overhead_seconds').observe(seconds / 1000);
        m.ttft.series(model).observe(seconds / 10);
        h('aigw_time_to_first_token_seconds').observe({ model }, seconds / 10);
        m.routingDecisionSeconds.observe(seconds / 10_000);
        h('aigw_routing_decision_seconds').observe(seconds / 10_000);
      }
      expect(await exposition(m.registry)).toEqual(await exposition(d.registry));
    }
    const text = await m.render();
    expect(text).toContain('aigw_request_duration_seconds_bucket{le="0.005",model="sim-mini",stream="false"} 3');
    expect(text).toContain('aigw_request_duration_seconds_bucket{le="+Inf",model="sim-mini",stream="true"} 1');
    expect(text).toContain('aigw_overhead_seconds_count 6');
  });

  it('rejects a value that is not a finite number, as prom-client does', () => {
    const m = new GatewayMetrics();
    expect(() => m.overhead.observe(Number.NaN)).toThrow(TypeError);
    expect(() => m.latency.series('sim-mini', 'false').observe(Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => m.latency.observe(1)).toThrow(/has labels/);
  });

  it('forgets every series on registry.resetMetrics(), as prom-client does', async () => {
    const m = new GatewayMetrics();
    const d = direct(m);
    m.overhead.observe(0.001);
    d.histograms.get('aigw_overhead_seconds')!.observe(0.001);
    m.registry.resetMetrics();
    d.registry.resetMetrics();
    expect(await exposition(m.registry)).toEqual(await exposition(d.registry));
  });
});
