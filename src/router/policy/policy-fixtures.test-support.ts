// Shared by the policy and router tests: a small catalog and a fake predictor with plausible numbers.
import { GatewayConfig, ModelConfig, type GatewayConfigInput, type TaskType } from '../../config/schema.ts';
import type { PromptAnalysis, QualityPredictor } from '../types.ts';
import type { CandidateEstimate } from './estimate-candidate.ts';

export const CATALOG = [
  {
    id: 'gpt-4o-mini',
    provider: 'openai',
    tier: 'economy',
    pricing: { input: 0.15, output: 0.6 },
    context_window: 128_000,
    max_output_tokens: 16_384,
    latency: { ttft_ms: 400, output_tokens_per_s: 90 },
    capabilities: ['tools', 'json', 'vision'],
  },
  {
    id: 'claude-haiku',
    provider: 'anthropic',
    tier: 'standard',
    pricing: { input: 0.8, output: 4 },
    context_window: 200_000,
    max_output_tokens: 8_192,
    latency: { ttft_ms: 500, output_tokens_per_s: 70 },
    capabilities: ['tools', 'json'],
  },
  {
    id: 'gpt-4o',
    provider: 'openai',
    tier: 'premium',
    pricing: { input: 2.5, output: 10 },
    context_window: 128_000,
    max_output_tokens: 16_384,
    latency: { ttft_ms: 600, output_tokens_per_s: 60 },
    capabilities: ['tools', 'json', 'vision'],
  },
  {
    id: 'llama-local',
    provider: 'ollama',
    tier: 'economy',
    pricing: { input: 0, output: 0 },
    context_window: 8_192,
    max_output_tokens: 2_048,
    latency: { ttft_ms: 200, output_tokens_per_s: 40 },
    capabilities: [],
  },
] as const satisfies GatewayConfigInput['models'];

export const MODELS: ModelConfig[] = CATALOG.map((m) => ModelConfig.parse(m));

export function model(id: string): ModelConfig {
  const found = MODELS.find((m) => m.id === id);
  if (!found) throw new Error(`no fixture model ${id}`);
  return found;
}

export function gatewayConfig(routing: GatewayConfigInput['routing'] = {}): GatewayConfig {
  return GatewayConfig.parse({ models: CATALOG, routing });
}

/**
 * Quality falls with complexity, slower for stronger models: q = base − slope·complexity. At
 * complexity 0.18 all but the local model are above 0.85; at 0.85 only gpt-4o stays above 0.8.
 */
const QUALITY_LINE: Record<string, { base: number; slope: number }> = {
  'gpt-4o-mini': { base: 0.95, slope: 0.5 },
  'claude-haiku': { base: 0.95, slope: 0.35 },
  'gpt-4o': { base: 0.97, slope: 0.15 },
  'llama-local': { base: 0.85, slope: 0.7 },
};

export const fakePredictor: QualityPredictor = {
  version: 'fake-1',
  knownModels: () => Object.keys(QUALITY_LINE),
  predict: (analysis, models) =>
    models.map((m) => {
      const line = QUALITY_LINE[m.id] ?? { base: 0.5, slope: 0 };
      return line.base - line.slope * analysis.complexity;
    }),
};

export function analysis(taskType: TaskType, complexity: number, promptTokens: number): PromptAnalysis {
  return {
    features: { dense: {}, hashedIdx: new Uint32Array(0), hashedVal: new Float32Array(0) },
    taskType,
    complexity,
    promptTokens,
    language: 'en',
  };
}

/** A candidate estimate with the numbers given, for policy tests that skip the estimation step. */
export function fixedEstimate(
  id: string,
  predictedQuality: number,
  estCostUsd: number,
  estLatencyMs: number,
  extra: Partial<CandidateEstimate> = {},
): CandidateEstimate {
  return { model: model(id), predictedQuality, estCostUsd, estLatencyMs, outputTokens: 300, errorRate: 0, breakerOpen: false, ...extra };
}
