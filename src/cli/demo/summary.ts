import type { DemoSummary } from './summarize-results.ts';

export interface SummaryContext {
  gatewayUrl: string;
  /** True when the demo started the gateway (and so knows its store). */
  startedGateway: boolean;
  /** Where the rows went, e.g. `sqlite ./data/aigw.db`; only when the demo started the gateway. */
  storeDescription?: string;
  concurrency: number;
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(3)}`;
}

function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The demo's closing summary, as printed. */
export function formatDemoSummary(s: DemoSummary, ctx: SummaryContext): string {
  const out: string[] = [];
  out.push(s.simulated ? 'aigw demo — SIMULATED fleet (answers are not from real models; prices are invented)' : 'aigw demo — real providers');
  out.push(`Gateway   ${ctx.gatewayUrl}${ctx.startedGateway ? ' (started by the demo)' : ''}${ctx.storeDescription ? ` · store ${ctx.storeDescription}` : ''}`);
  out.push(
    `Requests  ${s.requests} in ${formatMs(s.durationMs)} (${s.requestsPerSecond.toFixed(1)} req/s, concurrency ${ctx.concurrency}), ${s.streamed} streamed`,
  );
  out.push(`Status    ${s.ok} ok · ${s.failed} failed   [${s.byStatus.map((b) => `${b.status === 0 ? 'no response' : b.status} ×${b.count}`).join(', ')}]`);
  if (s.byError.length > 0) out.push(`Errors    ${s.byError.map((e) => `${e.errorType} ×${e.count}`).join(', ')}`);
  out.push(`Asked for ${s.byRequestedModel.map((m) => `${m.model} ×${m.count}`).join(', ')}`);
  out.push('');
  out.push('Models used');
  out.push(
    ...table(
      ['model', 'requests', 'share', 'cost', 'avg latency'],
      s.modelsUsed.map((m) => [m.model, String(m.requests), percent(m.share), formatUsd(m.costUsd), formatMs(m.avgLatencyMs)]),
      new Set([1, 2, 3, 4]),
    ),
  );
  out.push('');
  out.push('By task type (as the demo prompt was written)');
  out.push(
    ...table(
      ['task type', 'requests', 'cost', 'mostly served by'],
      s.byTaskType.map((t) => [t.taskType, String(t.requests), formatUsd(t.costUsd), t.topModel ? `${t.topModel} (${percent(t.topModelShare)})` : '—']),
      new Set([1, 2]),
    ),
  );
  out.push('');
  out.push(`Cost      total ${formatUsd(s.totalCostUsd)} · average ${formatUsd(s.avgCostUsd)} per request`);
  if (s.costFromUsage > 0) out.push(`          (${s.costFromUsage} streamed answers costed from their usage × catalog price)`);
  if (s.baseline) {
    out.push(
      `          all on ${s.baseline.model} (most expensive) would have cost ≈ ${formatUsd(s.baseline.costUsd)}: ${percent(s.baseline.savedShare)} saved`,
    );
  }
  out.push(`Latency   p50 ${formatMs(s.latencyMs.p50)} · p95 ${formatMs(s.latencyMs.p95)} · p99 ${formatMs(s.latencyMs.p99)}  (client-side, ok requests)`);
  out.push(`Overhead  p50 ${formatMs(s.overheadMs.p50)} · p99 ${formatMs(s.overheadMs.p99)}  (gateway's own time, x-aigw-overhead-ms)`);
  return out.join('\n');
}
