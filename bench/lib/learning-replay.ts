import type { GatewayConfig } from '../../src/config/schema.ts';
import { GatewayConfig as GatewayConfigSchema } from '../../src/config/schema.ts';
import { analyzePrompt } from '../../src/router/analyze/analyze-prompt.ts';
import { DEFAULT_FIT } from '../../src/router/learning/fit-state.ts';
import { LearningPredictor } from '../../src/router/learning/learning-predictor.ts';
import type { LearningRow } from '../../src/router/learning/learning-row.ts';
import { OnlineLearner } from '../../src/router/learning/online-learner.ts';
import { DEFAULT_ONLINE_RIDGE } from '../../src/router/learning/online-ridge.ts';
import type { IrtQualityPredictor } from '../../src/router/predictor/irt-predictor.ts';
import { createRouter } from '../../src/router/router.ts';
import { EvalSlice } from './learning-metric.ts';
import type { OfflineTrainer } from './learning-offline.ts';
import { benchConfig, servedSequence, type LearningBenchFile } from './learning-setup.ts';

export interface CurvePoint {
  served: number;
  on: number;
  off: number;
  /** Retrained offline on the base data plus the distinct prompts served so far (at the checkpoints only). */
  offline: number | null;
  /** Bootstrap sd of (on − off) on the slice, paired: the noise of this window's comparison. */
  onOffNoise: number;
}

export interface ReplayOptions {
  requests: number;
  window: number;
  seed: number;
  exploreShare: number;
  refitEvery: number;
  residualL2: number;
  /** L2 of the online ridge heads (0: off). */
  ridgeL2: number;
  /** Trains the offline router (base data plus the served prompts with every model's outcome). */
  offline: OfflineTrainer;
  /** Served counts at which the offline router is trained (it is costly: not at every window). */
  checkpoints: readonly number[];
  log?: (line: string) => void;
}

export interface ReplayResult {
  metric: 'aiq' | 'apgr';
  curve: CurvePoint[];
  explored: number;
  servedByModel: Record<string, number>;
  refits: number;
  refitMsTotal: number;
  /** Bootstrap sd of the learning-off metric on the slice: the noise of one window's number. */
  noise: number;
  /** Upper bound: trained offline on every servable row with every model's outcome, and its paired noise against off. */
  oracle: { value: number; rows: number; pairedNoise: number };
  /** Paired noise of (offline − off) at each checkpoint. */
  offlineNoise: Record<string, number>;
  /**
   * Wall time by phase: `traffic` (requests and feedback), `refits` (the learning loop's steps), `scoring`
   * (learning on on the slice, each window), `offline` (retraining the offline routers and the oracle).
   */
  phaseMs: Record<string, number>;
}

/** Sums wall time per named phase of a run. */
export class PhaseClock {
  readonly ms: Record<string, number> = {};
  add(phase: string, startedAt: number): void {
    this.ms[phase] = (this.ms[phase] ?? 0) + performance.now() - startedAt;
  }
  rounded(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.ms).map(([k, v]) => [k, Math.round(v)]));
  }
}

export async function replayInProcess(file: LearningBenchFile, base: IrtQualityPredictor, opts: ReplayOptions): Promise<ReplayResult> {
  const config: GatewayConfig = GatewayConfigSchema.parse(benchConfig(file, 'http://127.0.0.1:9', { explore_share: opts.exploreShare }));
  const predictor = new LearningPredictor(base);
  const learner = new OnlineLearner(
    predictor,
    () => config.models,
    { ...DEFAULT_FIT, residualL2: opts.residualL2 },
    { ...DEFAULT_ONLINE_RIDGE, l2: opts.ridgeL2 },
  );
  const router = createRouter({
    config,
    predictor,
    analyze: (messages) => analyzePrompt(messages, { difficulty: (f, t) => predictor.difficultyPercentile(f, t) }),
    liveStats: { get: () => ({ samples: 0 }) },
    exploreShare: () => opts.exploreShare,
  });
  const slice = new EvalSlice(file);
  const off = slice.score(base, config.models);
  const rows: LearningRow[] = [];
  const offlineNoise: Record<string, number> = {};
  const curve: CurvePoint[] = [{ served: 0, on: off, off, offline: off, onOffNoise: 0 }];
  const servedByModel: Record<string, number> = {};
  let explored = 0;
  let refits = 0;
  const phases = new PhaseClock();
  let sinceRefit = 0;
  const sequence = servedSequence(file, opts.requests, opts.seed);
  for (let i = 0; i < sequence.length; i++) {
    const row = sequence[i]!;
    const started = performance.now();
    const outcome = router.decide({ routingModel: 'auto', messages: [{ role: 'user', content: row.prompt }], requestId: `req-${i}` });
    if (!outcome.ok) throw new Error(outcome.message);
    const d = outcome.decision;
    const score = row.scores[d.chosenModel]!;
    servedByModel[d.chosenModel] = (servedByModel[d.chosenModel] ?? 0) + 1;
    if (d.explored) explored++;
    rows.push({
      requestId: `req-${String(i).padStart(6, '0')}`,
      createdAtMs: i,
      model: d.chosenModel,
      taskType: d.taskType,
      features: d.learning!.features,
      difficulty: d.learning!.terms.difficulty,
      discrimination: d.learning!.terms.discrimination,
      predicted: d.candidates.find((c) => c.model === d.chosenModel)?.predictedQuality ?? 0,
      routerVersion: d.routerVersion,
      technique: null,
      explored: d.explored === true,
      score,
      source: 'user',
      scoredAtMs: i,
    });
    phases.add('traffic', started);
    sinceRefit++;
    if (sinceRefit >= opts.refitEvery) {
      const t = performance.now();
      await learner.refit(rows, ++refits, i);
      phases.add('refits', t);
      sinceRefit = 0;
    }
    if ((i + 1) % opts.window === 0 || i + 1 === sequence.length) {
      const served = i + 1;
      const t = performance.now();
      const on = slice.score(predictor, config.models);
      const onOffNoise = slice.pairedNoise(predictor, base, config.models);
      phases.add('scoring', t);
      let offline: number | null = null;
      if (opts.checkpoints.includes(served)) {
        const t = performance.now();
        const offlinePredictor = opts.offline.train(sequence.slice(0, served));
        offline = slice.score(offlinePredictor, config.models);
        offlineNoise[String(served)] = slice.pairedNoise(offlinePredictor, base, config.models);
        phases.add('offline', t);
      }
      curve.push({ served, on, off, offline, onOffNoise });
      opts.log?.(
        `${file.name} ${served}: on ${on.toFixed(4)} off ${off.toFixed(4)} offline ${offline?.toFixed(4) ?? '-'} explored ${explored} ${JSON.stringify(servedByModel)} ridge scales ${JSON.stringify(ridgeScales(predictor))}`,
      );
    }
  }
  const t = performance.now();
  const oraclePredictor = opts.offline.train(file.servable);
  const oracle = {
    value: slice.score(oraclePredictor, config.models),
    rows: file.servable.length,
    pairedNoise: slice.pairedNoise(oraclePredictor, base, config.models),
  };
  phases.add('offline', t);
  opts.log?.(`${file.name} oracle (all ${oracle.rows} servable rows): ${oracle.value.toFixed(4)}`);
  return {
    metric: slice.metric,
    curve,
    explored,
    servedByModel,
    refits,
    refitMsTotal: phases.ms.refits ?? 0,
    noise: slice.noise(base, config.models),
    oracle,
    offlineNoise,
    phaseMs: phases.rounded(),
  };
}

/** Per model, the scale of its online ridge head in the served state (0: none kept). */
export function ridgeScales(predictor: LearningPredictor): Record<string, number> {
  return Object.fromEntries(Object.entries(predictor.state?.models ?? {}).map(([m, v]) => [m, v.ridge?.scale ?? 0]));
}
