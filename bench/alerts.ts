/**
 * `npm run bench:alerts` — how long the alert rules and the fix attached to an alert take over a big
 * history. Fills a fresh embedded (SQLite) store with the analytics benchmark's generated traffic
 * (default 1,000,000 requests over 30 days, seeded; bench/lib/analytics-fill.ts), rolls it up as the
 * gateway's refresher would, then times: each default rule's evaluation alone, whole evaluation ticks
 * (every default rule, state written, notifications to a local receiver), and the fix of a cost spike and
 * of a latency alert (cost drivers / bottlenecks + recommendations) against the report's 5 s budget.
 * Writes bench/results/alerts.json.
 *
 * Flags: --rows N (1000000), --days N (30), --seed N (42), --runs N (3), --end ISO (2026-11-30T12:00:00Z),
 * --keep DIR (fill DIR and keep it; reuses a store the analytics benchmark filled there with the same spec),
 * --out FILE (bench/results/alerts.json).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { refreshRollups } from '../src/analytics/rollup/refresh-rollups.ts';
import { AlertService } from '../src/alerts/alert-service.ts';
import { attachFix } from '../src/alerts/attach-fix.ts';
import { evaluateRule } from '../src/alerts/rules/evaluate-rule.ts';
import type { AlertState } from '../src/alerts/types.ts';
import { DEFAULT_ALERT_RULES, withRuleId } from '../src/config/alerts-schema.ts';
import { GatewayConfig } from '../src/config/schema.ts';
import { openStore } from '../src/store/open-store.ts';
import { benchmarkConfig, fillAnalyticsStore } from './lib/analytics-fill.ts';
import { TARGET_REPORT_MS } from './lib/analytics-results.ts';
import { gitSourceInfo } from './lib/source-info.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '30' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
    end: { type: 'string', default: '2026-11-30T12:00:00Z' },
    keep: { type: 'string' },
    out: { type: 'string', default: 'bench/results/alerts.json' },
  },
});

const spec = {
  requests: Number.parseInt(args.rows, 10),
  days: Number.parseFloat(args.days),
  endMs: Date.parse(args.end),
  seed: Number.parseInt(args.seed, 10),
};
const runs = Number.parseInt(args.runs, 10);

/** The same spec file as bench/analytics.ts, so a store either benchmark filled is reused by the other. */
async function fill(dir: string): Promise<void> {
  const specFile = join(dir, 'bench-spec.json');
  if (existsSync(specFile) && readFileSync(specFile, 'utf8') === JSON.stringify(spec)) return void console.error(`reusing the store in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let last = 0;
  const stats = await fillAnalyticsStore(dir, spec, benchmarkConfig(), (n) => {
    if (n - last >= 100_000) console.error(`filled ${(last = n)} requests`);
  });
  writeFileSync(join(dir, 'bench-fill.json'), JSON.stringify(stats));
  writeFileSync(specFile, JSON.stringify(spec));
}

/** Wall time and this process's CPU time (all threads: the SQLite readers too) of one run of `work`. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000), value };
}

async function main(): Promise<void> {
  const dir = args.keep ? resolve(args.keep) : mkdtempSync(join(tmpdir(), 'aigw-bench-alerts-'));
  const loadAtStart = loadavg()[0] ?? 0;
  const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end()));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await fill(dir);
    const store = await openStore({ dir });
    await refreshRollups(store.db, spec.endMs);
    const config = GatewayConfig.parse({ ...benchmarkConfig(), alerts: { destinations: [{ type: 'webhook', url }], fix_timeout: 60_000 } });
    const ctx = { db: store.readDb, nowMs: spec.endMs, config, breakerReportsSinceMs: spec.endMs };
    const perRule: { rule: string; ms: number[]; cpu_ms: number[]; observations: number; firing: number }[] = [];
    for (const rule of DEFAULT_ALERT_RULES.map(withRuleId)) {
      const ms: number[] = [];
      const cpuMs: number[] = [];
      let observed = { observations: 0, firing: 0 };
      for (let i = 0; i < runs; i++) {
        const r = await timed(() => evaluateRule(ctx, rule));
        ms.push(r.ms);
        cpuMs.push(r.cpuMs);
        observed = { observations: r.value.length, firing: r.value.filter((o) => o.status === 'firing').length };
      }
      perRule.push({ rule: rule.id, ms, cpu_ms: cpuMs, ...observed });
      console.error(`${rule.id}: ${ms.join(', ')} ms, CPU ${cpuMs.join(', ')} ms (${observed.observations} observed, ${observed.firing} firing)`);
    }
    const service = new AlertService({
      db: store.db,
      readDb: store.readDb,
      recommendationStore: store,
      config: () => config,
      logger: pino({ level: 'silent' }),
      now: () => spec.endMs,
    });
    const ticks: { ms: number; cpu_ms: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await timed(() => service.tick());
      ticks.push({ ms: r.ms, cpu_ms: r.cpuMs });
      // The fixes of what this tick found run in the background: not part of the tick.
      await service.settle();
    }
    console.error(`tick (all default rules): ${ticks.map((t) => `${t.ms} ms (CPU ${t.cpu_ms})`).join(', ')}`);
    const state = (kind: AlertState['kind'], windowMs: number, details: Record<string, unknown>): [AlertState, { fromMs: number; toMs: number }] => [
      {
        ruleId: kind,
        subject: 'bench',
        kind,
        state: 'firing',
        severity: 'warning',
        level: 1,
        value: null,
        threshold: null,
        message: '',
        details,
        startedAt: spec.endMs,
        updatedAt: spec.endMs,
        resolvedAt: null,
        notifiedLevel: null,
        lastNotifiedAt: null,
      },
      { fromMs: spec.endMs - windowMs, toMs: spec.endMs },
    ];
    const fixCtx = { db: store.readDb, config, persistTo: store, timeoutMs: 60_000, nowMs: spec.endMs };
    const fixes: { kind: string; window: string; ms: number[]; cpu_ms: number[]; recommendations: number }[] = [];
    for (const [kind, windowMs, label, details] of [
      ['cost_spike', 3_600_000, '1h', {}],
      ['cost_spike', 86_400_000, '24h', {}],
      ['latency_p95', 900_000, '15m', { model: 'sim-standard' }],
    ] as const) {
      const ms: number[] = [];
      const cpuMs: number[] = [];
      let recommendations = 0;
      for (let i = 0; i < runs; i++) {
        const r = await timed(() => attachFix(fixCtx, ...state(kind, windowMs, details)));
        ms.push(r.ms);
        cpuMs.push(r.cpuMs);
        recommendations = r.value?.recommendations.length ?? 0;
      }
      fixes.push({ kind, window: label, ms, cpu_ms: cpuMs, recommendations });
      console.error(`fix of a ${label} ${kind}: ${ms.join(', ')} ms, CPU ${cpuMs.join(', ')} ms (${recommendations} recommendations)`);
    }
    await service.stop();
    await store.close();
    const results = {
      generated_at: new Date().toISOString(),
      source: gitSourceInfo(),
      machine: { cpus: cpus().length, load_average_1m_at_start: loadAtStart, load_average_1m_at_end: loadavg()[0] ?? 0 },
      spec,
      runs,
      rules_ms: perRule,
      tick_ms: ticks,
      fix_ms: fixes,
      target: {
        fix_ms: TARGET_REPORT_MS,
        wall_met: fixes.every((f) => Math.max(...f.ms) <= TARGET_REPORT_MS),
        cpu_met: fixes.every((f) => Math.max(...f.cpu_ms) <= TARGET_REPORT_MS),
      },
    };
    mkdirSync(dirname(resolve(args.out)), { recursive: true });
    writeFileSync(resolve(args.out), `${JSON.stringify(results, null, 2)}\n`);
    console.error(`wrote ${args.out}`);
  } finally {
    receiver.close();
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
