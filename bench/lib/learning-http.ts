import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Agent, request } from 'undici';
import { analyticsDbOf } from '../../src/mcp/store-context.ts';
import { startGateway } from '../../src/gateway/serve.ts';
import { SimFleet } from '../../src/sim/fleet-schema.ts';
import { startSim } from '../../src/sim/server.ts';
import type { IrtQualityPredictor } from '../../src/router/predictor/irt-predictor.ts';
import { EvalSlice } from './learning-metric.ts';
import type { OfflineTrainer } from './learning-offline.ts';
import { PhaseClock, type CurvePoint, type ReplayResult } from './learning-replay.ts';
import { benchConfig, benchPricing, servedSequence, type LearningBenchFile } from './learning-setup.ts';

export interface HttpReplayOptions {
  requests: number;
  window: number;
  seed: number;
  exploreShare: number;
  refitEvery: number;
  /** L2 of the online ridge heads (0: off). */
  ridgeL2: number;
  /** The base router file the gateway serves (routing.model_file); undefined: the shipped one. */
  modelFile: string | undefined;
  checkpoints: readonly number[];
  /** Trains the offline router (base data plus the served prompts with every model's outcome). */
  offline: OfflineTrainer;
  log?: (line: string) => void;
}

/**
 * The loop as users run it: a simulated fleet serving the renamed models (`aigw sim --outcomes` with the
 * renamed file), a gateway started on it, chat requests over HTTP to `auto`, and each answer's recorded
 * score sent back as `POST /v1/feedback`. The learned state is read from the gateway after each window.
 */
export async function replayOverHttp(file: LearningBenchFile, base: IrtQualityPredictor, opts: HttpReplayOptions): Promise<ReplayResult> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-bench-learning-'));
  const outcomes = join(dir, 'outcomes.jsonl');
  writeFileSync(outcomes, file.rows.map((r) => JSON.stringify({ id: r.id, prompt: r.prompt, scores: r.scores })).join('\n'));
  const pricing = benchPricing(file);
  const fleet = SimFleet.parse({
    name: 'bench-learning',
    models: file.models.map((id) => ({
      id,
      ttft_ms: 0,
      output_tokens_per_s: 1_000,
      answer_tokens: { mean: 8, sd: 0 },
      accuracy: { default: file.priors[id]! },
      pricing: pricing[id]!,
      tier: 'standard',
    })),
  });
  const sim = await startSim({ fleet, port: 0, timeScale: 0, outcomesFiles: [outcomes] });
  // Refits are driven by the bench after every `refitEvery` outcomes (a fixed cadence, not the wall clock).
  const config = benchConfig(file, `${sim.url}/v1`, {
    explore_share: opts.exploreShare,
    refit_every_outcomes: opts.refitEvery,
    ridge_l2: opts.ridgeL2,
    poll_seconds: 3_600,
  });
  writeFileSync(
    join(dir, 'aigw.yaml'),
    JSON.stringify({ ...config, routing: { ...config.routing, ...(opts.modelFile ? { model_file: opts.modelFile } : {}) }, store: { flush_interval_ms: 20 } }),
  );
  const gateway = await startGateway({ cwd: dir, port: 0, simulated: false, env: {}, logger: pino({ level: 'silent' }) });
  try {
    const learning = gateway.runtime.gateway.learning;
    if (!learning) throw new Error('the gateway started without the learning loop');
    const models = gateway.runtime.gateway.config.models;
    const slice = new EvalSlice(file);
    const off = slice.score(base, models);
    const curve: CurvePoint[] = [{ served: 0, on: off, off, offline: off, onOffNoise: 0 }];
    const servedByModel: Record<string, number> = {};
    const sequence = servedSequence(file, opts.requests, opts.seed);
    const offlineNoise: Record<string, number> = {};
    const phases = new PhaseClock();
    const client = new BenchClient();
    for (let i = 0; i < sequence.length; i++) {
      const row = sequence[i]!;
      const t = performance.now();
      const res = await client.post(`${gateway.url}/v1/chat/completions`, { model: 'auto', messages: [{ role: 'user', content: row.prompt }], max_tokens: 16 });
      const { requestId } = res;
      const chosen = String(res.json.model);
      const score = row.scores[chosen];
      if (res.status !== 200 || !requestId || score === undefined) throw new Error(`request ${i}: ${res.status} ${JSON.stringify(res.json).slice(0, 200)}`);
      servedByModel[chosen] = (servedByModel[chosen] ?? 0) + 1;
      const fb = await client.post(`${gateway.url}/v1/feedback`, { request_id: requestId, score });
      if (fb.status >= 300) throw new Error(`feedback ${i}: ${fb.status} ${JSON.stringify(fb.json).slice(0, 200)}`);
      phases.add('traffic', t);
      if ((i + 1) % opts.refitEvery === 0) {
        const t = performance.now();
        await learning.flush();
        await learning.tick();
        phases.add('refits', t);
      }
      if ((i + 1) % opts.window === 0 || i + 1 === sequence.length) {
        const t = performance.now();
        const on = slice.score(learning.predictor, models);
        const onOffNoise = slice.pairedNoise(learning.predictor, base, models);
        phases.add('scoring', t);
        let offline: number | null = null;
        if (opts.checkpoints.includes(i + 1)) {
          const t = performance.now();
          const trained = opts.offline.train(sequence.slice(0, i + 1));
          offline = slice.score(trained, models);
          offlineNoise[String(i + 1)] = slice.pairedNoise(trained, base, models);
          phases.add('offline', t);
          await client.reconnect();
        }
        curve.push({ served: i + 1, on, off, offline, onOffNoise });
        opts.log?.(`${file.name} ${i + 1} (HTTP): on ${on.toFixed(4)} off ${off.toFixed(4)} ${JSON.stringify(servedByModel)}`);
      }
    }
    await client.close();
    await gateway.runtime.gateway.writer.flush();
    const explored = await analyticsDbOf(gateway.runtime.gateway.store)
      .selectFrom('decisions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('explored', '=', 1)
      .executeTakeFirstOrThrow();
    const t = performance.now();
    const oraclePredictor = opts.offline.train(file.servable);
    const oracle = { value: slice.score(oraclePredictor, models), rows: file.servable.length, pairedNoise: slice.pairedNoise(oraclePredictor, base, models) };
    phases.add('offline', t);
    return {
      metric: slice.metric,
      curve,
      explored: Number(explored.n),
      servedByModel,
      refits: learning.counters.refits,
      refitMsTotal: phases.ms.refits ?? 0,
      phaseMs: phases.rounded(),
      noise: slice.noise(base, models),
      oracle,
      offlineNoise,
    };
  } finally {
    await gateway.shutdown();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The bench's HTTP client. Its connections are dropped after each long synchronous phase (an offline
 * retrain blocks this process, gateway included, for minutes): the gateway's keep-alive timers fire as the
 * loop resumes, and a request sent on such a socket at that moment is reset (ECONNRESET).
 */
class BenchClient {
  private agent = new Agent();

  async post(url: string, body: unknown): Promise<{ status: number; requestId: string | null; json: Record<string, unknown> }> {
    const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), dispatcher: this.agent });
    const id = res.headers['x-aigw-request-id'];
    return { status: res.statusCode, requestId: typeof id === 'string' ? id : null, json: (await res.body.json()) as Record<string, unknown> };
  }

  async reconnect(): Promise<void> {
    await this.agent.close();
    this.agent = new Agent();
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
