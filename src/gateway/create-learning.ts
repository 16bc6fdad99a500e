import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.ts';
import { LearningLoop } from '../router/learning/learning-loop.ts';
import { LearningPredictor } from '../router/learning/learning-predictor.ts';
import { loadPredictor, predictorFromJson } from '../router/predictor/load-predictor.ts';
import { LearningStore } from '../store/learning-store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';

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
  const learningStore = new LearningStore(store.db);
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
