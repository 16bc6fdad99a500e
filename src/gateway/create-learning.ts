import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.ts';
import { LearningLoop } from '../router/learning/learning-loop.ts';
import { LearningPredictor } from '../router/learning/learning-predictor.ts';
import { loadPredictor, predictorFromJson } from '../router/predictor/load-predictor.ts';
import { LearningStore } from '../store/learning-store.ts';
import { spawnRetrain } from '../router/learning/retrain-process.ts';
import { RetrainScheduler } from '../router/learning/retrain-scheduler.ts';
import { retrainOptionsFrom } from '../router/learning/retrain.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { configuredStoreOptions } from '../store/open-store.ts';

/**
 * The learning loop of a gateway (`routing.learning`), or undefined when it is off. The base predictor is
 * the router model promoted in the store (`aigw router train --from-store`), else the configured file.
 */
export async function createLearning(
  config: GatewayConfig,
  store: KyselyStore,
  current: () => GatewayConfig,
  logger: Logger,
): Promise<LearningLoop | undefined> {
  if (!config.routing.learning.enabled) return undefined;
  // The loop's rows are inserted on the SQLite write thread when there is one.
  const learningStore = store.learningStore();
  const live = await learningStore.liveRouterModel();
  let base = loadPredictor(config.routing.model_file);
  if (live) {
    try {
      base = predictorFromJson(live.file);
    } catch (err) {
      logger.warn({ err, model: live.id }, 'learning: the promoted router model does not load; serving the configured one');
    }
  }
  const priorStrength = config.routing.learning.prior_strength;
  const loop = new LearningLoop({
    store: learningStore,
    predictor: new LearningPredictor(base, null, 1 / Math.sqrt(priorStrength * 0.25)),
    config: () => current().routing.learning,
    catalog: () => current().models,
    logger,
  });
  await loop.start();
  return loop;
}

/**
 * The scheduled retrain (`routing.learning.retrain.every`; idle while unset): `aigw router train
 * --from-store` in a low-priority child process, and after a promotion this gateway serves the new router.
 */
export function createRetrainScheduler(
  loop: LearningLoop,
  store: KyselyStore,
  where: { cwd: string; env: NodeJS.ProcessEnv },
  current: () => GatewayConfig,
  logger: Logger,
): RetrainScheduler {
  const learningStore = new LearningStore(store.db);
  const scheduler = new RetrainScheduler({
    config: () => current().routing.learning.retrain,
    job: (nowMs) => {
      const c = current();
      return {
        store: configuredStoreOptions(where.cwd, c.store, where.env),
        config: { models: c.models, routing: { model_file: c.routing.model_file, learning: c.routing.learning } },
        options: retrainOptionsFrom(c.routing.learning, nowMs),
      };
    },
    run: spawnRetrain,
    lastTrainedAtMs: () => learningStore.lastRouterModelAtMs(),
    onPromoted: async () => {
      await loop.adoptPromoted();
    },
    logger,
  });
  scheduler.start();
  return scheduler;
}
