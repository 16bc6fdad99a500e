import type { GatewayConfig } from '../config/schema.ts';
import { analyzePrompt } from '../router/analyze/analyze-prompt.ts';
import type { LiveStats } from '../router/live-stats.ts';
import { loadPredictor } from '../router/predictor/load-predictor.ts';
import { createRouter, type Router } from '../router/router.ts';
import type { QualityPredictor } from '../router/types.ts';
import type { PromptFeatures } from '../router/types.ts';
import type { TaskType } from '../config/schema.ts';
import { techniqueBounds } from '../optimizer/run-technique.ts';

/** What the router needs of a predictor besides predictions: the learned difficulty for complexity. */
export type RouterPredictor = QualityPredictor & { difficultyPercentile(features: PromptFeatures, taskType: TaskType): number };

/**
 * The built-in router for a config: the trained predictor (or the learning predictor wrapping it, which
 * also explores), the prompt analyzer and the policy.
 */
export function buildRouter(
  config: GatewayConfig,
  liveStats: LiveStats,
  isBreakerOpen?: (modelId: string) => boolean,
  learning?: { predictor: RouterPredictor; exploreShare: () => number },
): Router {
  const predictor: RouterPredictor = learning?.predictor ?? loadPredictor(config.routing.model_file);
  return createRouter({
    // Embedding models answer /v1/embeddings only: the chat router never sees them.
    config: { ...config, models: config.models.filter((m) => m.kind === 'chat') },
    predictor,
    // Complexity blends the analyzer's markers with the predictor's learned difficulty.
    analyze: (messages) => analyzePrompt(messages, { difficulty: (features, taskType) => predictor.difficultyPercentile(features, taskType) }),
    liveStats,
    isBreakerOpen,
    // Lets the router price "cheap model + technique" candidates for task types with a technique plan.
    techniqueBounds,
    ...(learning ? { exploreShare: learning.exploreShare } : {}),
  });
}
