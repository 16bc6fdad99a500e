/**
 * `npm run bench:claims` — do the recommendations' claims hold? (docs/recommendations.md, "Claims that hold")
 *
 * 1. The seeded demo traffic (--requests, --seed) through a gateway on the simulated fleet, with the
 *    simulated outcomes as quality feedback, as `aigw demo` leaves it.
 * 2. Recommendations under each goal; each goal's top recommendation (and all of its recommendations
 *    together) written to a fresh aigw.yaml, as `aigw rules apply` does.
 * 3. The same seeded traffic again through a gateway with that config; its cost and quality, overall and
 *    on the rule's segment, against what the recommendation claimed.
 *
 * Flags: --requests N (800), --seed S (1), --out FILE (bench/results/claims.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import type { Goal } from '../src/config/schema.ts';
import { claimExperiments, type ClaimExperiment } from '../src/analytics/recommend/claims-replay.test-support.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '800' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'bench/results/claims.json' },
    goals: { type: 'string' },
  },
});
const requests = Number(args.requests);
const seed = Number(args.seed);
const load = loadavg()[0] ?? 0;
const started = Date.now();
const goals = (args.goals ?? 'cost,balanced,quality,speed').split(',') as Goal[];
const { control, experiments } = await claimExperiments(requests, seed, goals);
console.log(
  `control (same traffic, no rule): ${control.switched} requests answered by another model; average cost $${control.avgCostUsd.map((c) => c.toFixed(6)).join(' vs $')}`,
);

const f = (v: number | null, d = 3) => (v === null ? 'n/a' : v.toFixed(d));
function line(e: ClaimExperiment): string {
  return (
    `${e.goal.padEnd(8)} ${e.label.padEnd(44)} switched ${String(e.claimed.switched).padStart(3)}/${String(e.measured.switched).padStart(3)}  ` +
    `segment quality ${f(e.claimed.segmentQuality)} → ${f(e.measured.segmentQuality)} (${f(e.qualityError, 4)}; ${e.withinInterval ? 'inside' : 'outside'} ${e.qualityInterval?.map((v) => v.toFixed(3)).join('–') ?? 'n/a'})  ` +
    `segment cost error ${f(e.segmentCostErrorPct, 1)}%  window cost error ${f(e.windowCostErrorPct, 1)}%`
  );
}
for (const e of experiments) console.log(line(e));
const errors = experiments.map((e) => e.qualityError).filter((v): v is number => v !== null);
const meanQualityError = errors.length > 0 ? errors.reduce((s, v) => s + v, 0) / errors.length : null;
console.log(`${experiments.filter((e) => e.withinInterval).length} of ${experiments.length} measured inside the claim's 95% interval`);
console.log(`mean segment quality error (claimed − measured): ${f(meanQualityError, 4)} over ${errors.length} experiments`);

mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(
  args.out,
  `${JSON.stringify({ requests, seed, loadAverage1m: load, durationMs: Date.now() - started, meanQualityError, control, experiments }, null, 2)}\n`,
);
console.log(`wrote ${args.out} (load average ${load.toFixed(2)} at start)`);
