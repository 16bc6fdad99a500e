/**
 * `node bin/run-ts.mjs bench/optimizer-replay.ts` — demonstration (b) of docs/optimizer.md: what
 * max_tokens right-sizing does to billed tokens and cost on recorded traffic, replayed.
 *
 * 1. Record: the demo traffic generator (src/cli/demo) makes --requests requests (mixed task types,
 *    routed and named models); the first half is sent through an in-process gateway in front of the
 *    simulated fleet (no random failures), which logs every answer's length.
 * 2. Size: for each request of the second half, POST /v1/optimize returns its recommended max_tokens,
 *    sized from the first half only (the lengths snapshot is refreshed once, before any replay).
 * 3. Replay the second half once per arm: as recorded (no max_tokens), and with the recommended
 *    max_tokens for each sizing setting. The simulator answers the same prompt to the same model with
 *    the same length, so differences are what the cap cut (and any routing change the cap caused).
 * 4. Response cache (`cache.enabled`, `sampled: always`), with the default sizing: the second half
 *    twice, as a re-run batch or evaluation would send it; the first pass fills the cache, the second
 *    is answered from it. The demo traffic has no repeated prompt within one pass, so this measures a
 *    repeat of the traffic, not a hit rate of live traffic.
 *
 * Flags: --requests N (1200), --seed S (7), --out FILE (bench/results/optimizer-replay.json).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { GatewayConfig } from '../src/config/schema.ts';
import type { GatewayConfigInput } from '../src/config/schema.ts';
import { planDemoRequests, type DemoRequest } from '../src/cli/demo/demo-plan.ts';
import { parseCatalog } from '../src/cli/demo/gateway-catalog.ts';
import { generateDemoPrompts } from '../src/cli/demo/prompts.ts';
import { createGateway } from '../src/gateway/create-gateway.ts';
import { buildApp } from '../src/server/app.ts';
import { DEFAULT_FLEET, fleetCatalog, SimFleet } from '../src/sim/fleet.ts';
import { startSim } from '../src/sim/server.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '1200' },
    seed: { type: 'string', default: '7' },
    out: { type: 'string', default: 'bench/results/optimizer-replay.json' },
  },
});
const REQUESTS = Number(args.requests);
const SEED = Number(args.seed);
const CONCURRENCY = 8;

/** The sizing settings replayed: the default, and a tighter one that trades cut answers for tokens. */
const SIZINGS = [
  { name: 'p95 × 1.25 (default)', percentile: 0.95, margin: 1.25 },
  { name: 'p90 × 1.0', percentile: 0.9, margin: 1.0 },
] as const;

const fleet = SimFleet.parse({ ...DEFAULT_FLEET, models: DEFAULT_FLEET.models.map((m) => ({ ...m, error_rate: 0 })) });
const sim = await startSim({ fleet, port: 0, timeScale: 0, seed: SEED });
const dir = mkdtempSync(join(tmpdir(), 'aigw-optimizer-replay-'));
const catalog = fleetCatalog(fleet, sim.url);
const configFor = (sizing: { percentile: number; margin: number }, cache = false): GatewayConfig =>
  GatewayConfig.parse({
    providers: catalog.providers,
    models: catalog.models,
    store: { flush_interval_ms: 50 },
    optimizer: { max_tokens: { percentile: sizing.percentile, margin: sizing.margin, min_samples: 20 } },
    cache: { enabled: cache, sampled: 'always' },
  } satisfies GatewayConfigInput);
const runtime = await createGateway(configFor(SIZINGS[0]), { cwd: dir, logger: pino({ level: 'silent' }) });
const app = buildApp(() => runtime.gateway);
await app.ready();

interface Sent {
  status: number;
  model: string | null;
  promptTokens: number;
  outputTokens: number;
  costUsd: number;
  finishReason: string | null;
  maxTokens: number | undefined;
  cacheHit: boolean;
  cacheSavedUsd: number;
}

function bodyOf(req: DemoRequest, maxTokens?: number): Record<string, unknown> {
  return {
    model: req.model,
    messages: req.prompt.messages,
    ...(req.prompt.tools ? { tools: req.prompt.tools } : {}),
    ...(req.prompt.jsonMode ? { response_format: { type: 'json_object' } } : {}),
    ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
  };
}

async function send(req: DemoRequest, maxTokens?: number): Promise<Sent> {
  const res = await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: bodyOf(req, maxTokens) });
  const json = res.json<{ usage?: { prompt_tokens: number; completion_tokens: number }; choices?: Array<{ finish_reason: string | null }> }>();
  // A cache hit reports the cached answer's usage to the client but bills nothing.
  const cacheHit = res.headers['x-aigw-cache'] === 'hit';
  return {
    status: res.statusCode,
    model: (res.headers['x-aigw-model'] as string | undefined) ?? null,
    promptTokens: cacheHit ? 0 : (json.usage?.prompt_tokens ?? 0),
    outputTokens: cacheHit ? 0 : (json.usage?.completion_tokens ?? 0),
    costUsd: Number(res.headers['x-aigw-cost-usd'] ?? 0),
    finishReason: json.choices?.[0]?.finish_reason ?? null,
    maxTokens,
    cacheHit,
    cacheSavedUsd: Number(res.headers['x-aigw-cache-saved-usd'] ?? 0),
  };
}

/** Why /v1/optimize gave no max_tokens, by reason with the task type's name taken out. */
const skippedBecause = new Map<string, number>();

async function recommendedMaxTokens(req: DemoRequest): Promise<number | undefined> {
  const res = await app.inject({ method: 'POST', url: '/v1/optimize', payload: bodyOf(req) });
  if (res.statusCode !== 200) throw new Error(`/v1/optimize answered ${res.statusCode}: ${res.body}`);
  const json = res.json<{
    task_type: string;
    parameters: Array<{ parameter: string; recommended: number }>;
    not_recommended: Array<{ what: string; reason: string }>;
  }>();
  const recommended = json.parameters.find((p) => p.parameter === 'max_tokens')?.recommended;
  const skipped = json.not_recommended.find((n) => n.what === 'max_tokens');
  if (recommended === undefined && skipped) {
    const reason = skipped.reason.replace(/^\d+ /, 'N ').replace(json.task_type, '<task type>');
    skippedBecause.set(reason, (skippedBecause.get(reason) ?? 0) + 1);
  }
  return recommended;
}

/** Runs `fn` over `items` with CONCURRENCY in flight; results in item order. */
async function pool<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

function summarize(arm: string, sent: readonly Sent[], recorded?: readonly Sent[]) {
  const modelMax = new Map(runtime.gateway.config.models.map((m) => [m.id, m]));
  let worstCaseOutputTokens = 0;
  let worstCaseOutputUsd = 0;
  for (const s of sent) {
    const m = s.model ? modelMax.get(s.model) : undefined;
    if (!m || s.cacheHit) continue;
    // What a budget must reserve for the answer: the request's max_tokens, else the model's own limit.
    const cap = Math.min(s.maxTokens ?? m.max_output_tokens, m.max_output_tokens);
    worstCaseOutputTokens += cap;
    worstCaseOutputUsd += (cap * m.pricing.output) / 1e6;
  }
  const sum = (f: (s: Sent) => number) => sent.reduce((acc, s) => acc + f(s), 0);
  return {
    arm,
    requests: sent.length,
    ok: sent.filter((s) => s.status === 200).length,
    withMaxTokens: sent.filter((s) => s.maxTokens !== undefined).length,
    promptTokens: sum((s) => s.promptTokens),
    outputTokens: sum((s) => s.outputTokens),
    costUsd: Number(sum((s) => s.costUsd).toFixed(8)),
    answersCut: sent.filter((s) => s.finishReason === 'length').length,
    cacheHits: sent.filter((s) => s.cacheHit).length,
    cacheSavedUsd: Number(sum((s) => s.cacheSavedUsd).toFixed(8)),
    /** Requests the router sent to another model than in the as-recorded arm (a lower max_tokens can change its cost estimates). */
    modelChanged: recorded ? sent.filter((s, i) => s.model !== recorded[i]?.model).length : 0,
    worstCaseOutputTokens,
    worstCaseOutputUsd: Number(worstCaseOutputUsd.toFixed(6)),
  };
}

const pct = (after: number, before: number) => (before === 0 ? 0 : Number((((after - before) / before) * 100).toFixed(2)));

try {
  const modelsRes = await app.inject({ method: 'GET', url: '/v1/models' });
  const demoCatalog = parseCatalog(modelsRes.json<{ data: unknown[] }>().data);
  const requests = planDemoRequests(generateDemoPrompts(REQUESTS, SEED), demoCatalog, SEED);
  const half = Math.floor(requests.length / 2);
  const history = requests.slice(0, half);
  const replay = requests.slice(half);

  const recorded = await pool(history, (r) => send(r));
  await runtime.gateway.writer.flush();
  await runtime.gateway.observedLengths.refresh();

  const caps: Array<Array<number | undefined>> = [];
  for (const sizing of SIZINGS) {
    runtime.reload(configFor(sizing));
    skippedBecause.clear();
    caps.push(await pool(replay, (r) => recommendedMaxTokens(r)));
  }

  const asRecorded = await pool(replay, (r) => send(r));
  const arms = [summarize('as recorded (no max_tokens)', asRecorded)];
  for (const [i, sizing] of SIZINGS.entries()) {
    arms.push(summarize(`max_tokens ${sizing.name}`, await pool(replay, (r, j) => send(r, caps[i]![j])), asRecorded));
  }
  runtime.reload(configFor(SIZINGS[0], true));
  for (const pass of [1, 2]) {
    arms.push(summarize(`max_tokens ${SIZINGS[0].name} + cache, pass ${pass}`, await pool(replay, (r, j) => send(r, caps[0]![j])), asRecorded));
    // Answers are stored in the cache just after they are sent; let the last ones land.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const base = arms[0]!;
  const report = {
    date: new Date().toISOString(),
    command: 'node bin/run-ts.mjs bench/optimizer-replay.ts',
    node: process.version,
    seed: SEED,
    fleet: 'default simulated fleet, error_rate 0 (SIMULATED models)',
    history: { requests: history.length, ok: recorded.filter((s) => s.status === 200).length },
    replayed: replay.length,
    maxTokensNotRecommended: Object.fromEntries(skippedBecause),
    arms: arms.map((a) => ({
      ...a,
      vsRecorded: {
        outputTokensPct: pct(a.outputTokens, base.outputTokens),
        costPct: pct(a.costUsd, base.costUsd),
        worstCaseOutputTokensPct: pct(a.worstCaseOutputTokens, base.worstCaseOutputTokens),
        answersCutShare: Number((a.answersCut / a.requests).toFixed(4)),
      },
    })),
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 2) + '\n');
  for (const a of report.arms) {
    console.log(
      `${a.arm.padEnd(34)} ok ${a.ok}/${a.requests}, max_tokens on ${a.withMaxTokens}: output ${a.outputTokens} tok (${a.vsRecorded.outputTokensPct}%), ` +
        `cost $${a.costUsd} (${a.vsRecorded.costPct}%), cut ${a.answersCut}, rerouted ${a.modelChanged}, cache hits ${a.cacheHits}, worst-case output ${a.worstCaseOutputTokens} tok (${a.vsRecorded.worstCaseOutputTokensPct}%)`,
    );
  }
  console.log(`wrote ${args.out}`);
} finally {
  await app.close();
  await runtime.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
