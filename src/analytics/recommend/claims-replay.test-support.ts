// The demo replay that checks a recommendation's claims: run the seeded demo, recommend, apply the rule,
// run the same seeded traffic again, and compare what the recommendation claimed with what happened.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { servedConfig } from '../../cli/configured-store-context.ts';
import { simOutcomeFeedback } from '../../cli/demo/demo-report.ts';
import { generateDemoPrompts } from '../../cli/demo/prompts.ts';
import { runDemo } from '../../cli/demo/run-demo.ts';
import { addRuleToConfigText } from '../../cli/rules-commands.ts';
import type { GatewayConfig, Goal } from '../../config/schema.ts';
import { openStore } from '../../store/open-store.ts';
import type { KyselyStore } from '../../store/kysely-store.ts';
import { resolveAnalysisQuery } from '../analysis-query.ts';
import { buildRecommendations, type Recommendations } from './build-recommendations.ts';
import { loadHistory, type HistoryRow } from './load-history.ts';
import { ruleMatchesRow } from './replay.ts';
import type { RuleRecommendation } from './types.ts';

export interface DemoWindow {
  requests: number;
  seed: number;
  dir: string;
  store: KyselyStore;
  config: GatewayConfig;
  rows: HistoryRow[];
  /** The model that answered each prompt of the demo, by prompt id. */
  modelByPrompt: Map<string, string | null>;
  /** The last user message of each request, by request id: what the simulated fleet's outcome is drawn from. */
  textByRequest: Map<string, string>;
  nowMs: number;
}

/**
 * The demo gateway's config in both runs: the router does not learn online, so the second run routes
 * with the same predictor the first run's decisions logged (online refits depend on the order answers
 * arrive in, and exploration draws per request) and the difference between the runs is the rule's.
 */
export const REPLAY_BASE_CONFIG = 'routing:\n  learning:\n    enabled: false\n';

/** Sends the seeded demo traffic through a gateway started in a fresh directory (with `configYaml` as its aigw.yaml), with the simulated outcomes as feedback. */
export async function runDemoWindow(requests: number, seed: number, configYaml?: string): Promise<DemoWindow> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-claims-'));
  if (configYaml !== undefined) writeFileSync(join(dir, 'aigw.yaml'), configYaml);
  const run = await runDemo({ cwd: dir, requests, seed, concurrency: 1, timeScale: 0, env: {}, progress: false, log: () => {}, storeDir: 'data' });
  const store = await openStore({ dir: join(dir, 'data') });
  for (const row of simOutcomeFeedback(run.results, generateDemoPrompts(requests, seed), Date.now())) await store.upsertFeedback(row);
  const nowMs = Date.now() + 1;
  const history = await loadHistory(store.readDb, resolveAnalysisQuery({ timeframe: '24h' }, nowMs));
  const modelByPrompt = new Map(run.results.map((r) => [r.promptId, r.modelUsed]));
  const prompts = new Map(generateDemoPrompts(requests, seed).map((p) => [p.id, p]));
  const textByRequest = new Map<string, string>();
  for (const r of run.results) {
    const users = prompts.get(r.promptId)?.messages.filter((m) => m.role === 'user') ?? [];
    if (r.requestId) textByRequest.set(r.requestId, users[users.length - 1]?.content ?? '');
  }
  return { requests, seed, dir, store, config: servedConfig(dir, undefined, {}), rows: history.rows, modelByPrompt, textByRequest, nowMs };
}

export async function closeDemoWindow(w: DemoWindow): Promise<void> {
  await w.store.close();
  rmSync(w.dir, { recursive: true, force: true });
}

export function recommendationsFor(w: DemoWindow, goal: Goal): Promise<Recommendations> {
  return buildRecommendations(w.store.readDb, w.config, { timeframe: '24h', optimization_goal: goal }, { nowMs: w.nowMs });
}

/** The replay's base config with the rules added, as `aigw rules apply` adds them. */
export function configWithRules(recs: readonly RuleRecommendation[]): string {
  let text = REPLAY_BASE_CONFIG;
  for (const r of recs) text = addRuleToConfigText(text, { name: r.rule.name, description: r.title, match: r.rule.match, action: r.rule.action }, 'aigw.yaml');
  return text;
}

export interface Measured {
  avgCostUsd: number;
  avgQuality: number | null;
  segmentAvgCostUsd: number | null;
  segmentQuality: number | null;
  segmentRequests: number;
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

/** The window's and the rules' segment's cost and quality as they happened (answered requests' quality signals). */
export function measure(rows: readonly HistoryRow[], recs: readonly RuleRecommendation[]): Measured {
  const segment = rows.filter((row) => row.status < 400 && recs.some((r) => ruleMatchesRow(r.rule, row)));
  const quality = (list: readonly HistoryRow[]) => mean(list.filter((r) => r.status < 400 && r.quality !== null).map((r) => r.quality as number));
  return {
    avgCostUsd: mean(rows.map((r) => r.costUsd)) ?? 0,
    avgQuality: quality(rows),
    segmentAvgCostUsd: mean(segment.map((r) => r.costUsd)),
    segmentQuality: quality(segment),
    segmentRequests: segment.length,
  };
}

/** Prompts answered by another model in the second run of the same traffic. */
export function switchedPrompts(before: DemoWindow, after: DemoWindow): number {
  let n = 0;
  for (const [prompt, model] of before.modelByPrompt) if (after.modelByPrompt.has(prompt) && after.modelByPrompt.get(prompt) !== model) n += 1;
  return n;
}

export interface ClaimSide {
  switched: number;
  avgCostUsd: number;
  avgQuality: number | null;
  segmentAvgCostUsd: number | null;
  segmentQuality: number | null;
}

/** One applied change: what the recommendation said and what the second run measured. */
export interface ClaimExperiment {
  goal: Goal;
  label: string;
  recommendationIds: string[];
  segmentRequests: number;
  /** Measured in the first run, on the same segment: the recommendation's "before". */
  before: { segmentAvgCostUsd: number | null; segmentQuality: number | null };
  claimed: ClaimSide;
  measured: ClaimSide;
  /** Claimed minus measured segment quality: positive is a rosy claim. */
  qualityError: number | null;
  /** The claim's 95% interval of the segment quality, and whether the second run measured inside it. */
  qualityInterval: [number, number] | null;
  withinInterval: boolean | null;
  /** Measured minus claimed segment cost, in percent of the claim. */
  segmentCostErrorPct: number | null;
  windowCostErrorPct: number | null;
}

function errorPct(claimed: number | null, measured: number | null): number | null {
  return claimed === null || measured === null || claimed === 0 ? null : ((measured - claimed) / claimed) * 100;
}

async function experiment(base: DemoWindow, goal: Goal, label: string, recs: readonly RuleRecommendation[], claim: Recommendations['combinedImpact']) {
  if (!claim) return undefined;
  const after = await runDemoWindow(base.requests, base.seed, configWithRules(recs));
  try {
    const m = measure(after.rows, recs);
    const b = measure(base.rows, recs);
    const claimed: ClaimSide = {
      switched: claim.affectedRequests,
      avgCostUsd: claim.avgCostUsdAfter,
      avgQuality: claim.avgQualityAfter,
      segmentAvgCostUsd: claim.segmentAvgCostUsdAfter,
      segmentQuality: claim.segmentQualityAfter,
    };
    const measured: ClaimSide = { switched: switchedPrompts(base, after), ...m };
    const result: ClaimExperiment = {
      goal,
      label,
      recommendationIds: recs.map((r) => r.id),
      segmentRequests: m.segmentRequests,
      before: { segmentAvgCostUsd: b.segmentAvgCostUsd, segmentQuality: b.segmentQuality },
      claimed,
      measured,
      qualityError: claimed.segmentQuality !== null && measured.segmentQuality !== null ? claimed.segmentQuality - measured.segmentQuality : null,
      qualityInterval: claim.segmentQualityInterval,
      withinInterval:
        claim.segmentQualityInterval && measured.segmentQuality !== null
          ? measured.segmentQuality >= claim.segmentQualityInterval[0] && measured.segmentQuality <= claim.segmentQualityInterval[1]
          : null,
      segmentCostErrorPct: errorPct(claimed.segmentAvgCostUsd, measured.segmentAvgCostUsd),
      windowCostErrorPct: errorPct(claimed.avgCostUsd, measured.avgCostUsd),
    };
    return result;
  } finally {
    await closeDemoWindow(after);
  }
}

/**
 * For each goal: its top recommendation applied alone and, when there are more, all of them together,
 * each replayed on the same seeded demo traffic.
 */
export interface ClaimRun {
  control: { switched: number; avgCostUsd: [number, number] };
  experiments: ClaimExperiment[];
  /** Each goal's recommendation set over the first run. */
  sets: Map<Goal, Recommendations>;
}

export async function claimExperiments(requests: number, seed: number, goals: readonly Goal[], opts: { combined?: boolean } = {}): Promise<ClaimRun> {
  const base = await runDemoWindow(requests, seed, REPLAY_BASE_CONFIG);
  const out: ClaimExperiment[] = [];
  try {
    // The same traffic again without any rule: what differs is noise, not a rule's effect.
    const again = await runDemoWindow(requests, seed, REPLAY_BASE_CONFIG);
    const control = {
      switched: switchedPrompts(base, again),
      avgCostUsd: [measure(base.rows, []).avgCostUsd, measure(again.rows, []).avgCostUsd] as [number, number],
    };
    await closeDemoWindow(again);
    const sets = new Map<Goal, Recommendations>();
    for (const goal of goals) {
      const set = await recommendationsFor(base, goal);
      sets.set(goal, set);
      const top = set.recommendations[0];
      if (!top) continue;
      const single = await experiment(base, goal, `top: ${top.rule.name}`, [top], top.expectedImpact);
      if (single) out.push(single);
      if (opts.combined !== false && set.recommendations.length > 1) {
        const all = await experiment(base, goal, `all ${set.recommendations.length}`, set.recommendations, set.combinedImpact);
        if (all) out.push(all);
      }
    }
    return { control, experiments: out, sets };
  } finally {
    await closeDemoWindow(base);
  }
}
