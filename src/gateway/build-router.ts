import type { GatewayConfig } from '../config/schema.ts';
import { analyzePrompt } from '../router/analyze/analyze-prompt.ts';
import type { LiveStats } from '../router/live-stats.ts';
import { loadPredictor } from '../router/predictor/load-predictor.ts';
import { createRouter, type Router } from '../router/router.ts';
import { techniqueBounds } from '../optimizer/run-technique.ts';

/** The built-in router for a config: the trained predictor, the prompt analyzer and the policy. */
export function buildRouter(config: GatewayConfig, liveStats: LiveStats, isBreakerOpen?: (modelId: string) => boolean): Router {
  const predictor = loadPredictor(config.routing.model_file);
  return createRouter({
    // Embedding models answer /v1/embeddings only: the chat router never sees them.
    config: { ...config, models: config.models.filter((m) => m.kind === 'chat') },
    predictor,
    // Complexity blends the analyzer's markers with the predictor's learned difficulty.
    analyze: (messages) =>
      analyzePrompt(messages, { difficulty: (features, taskType) => predictor.difficultyPercentile(features, taskType) }),
    liveStats,
    isBreakerOpen,
    // Lets the router price "cheap model + technique" candidates for task types with a technique plan.
    techniqueBounds,
  });
}
