import { z } from 'zod';
import type { GatewayConfig, ModelConfig } from '../../config/schema.ts';
import type { BackendAnswer } from './merge-backend-answer.ts';
import { joinUrl, postJson } from './post-json.ts';
import { lastUserText } from './prompt-text.ts';
import { externalRoutingBackend, type BackendQuestion, type RoutingBackend } from './routing-backend.ts';

export type RouteLlmBackendConfig = Extract<GatewayConfig['routing']['backend'], { type: 'routellm' }>;

const RouteLlmResponse = z.looseObject({ model: z.string().min(1) });

/** How well a model name RouteLLM reports matches one of our names for a model; 0 = no match. */
function nameMatchScore(reported: string, ours: string): number {
  if (reported === ours) return 3;
  // LiteLLM names carry a provider prefix on one side or the other (`openai/gpt-4o`, `anyscale/mistralai/…`).
  if (reported.endsWith(`/${ours}`) || ours.endsWith(`/${reported}`)) return 2;
  // Upstreams answer with a dated snapshot of the alias asked for (`gpt-4o` → `gpt-4o-2024-08-06`).
  if (reported.startsWith(`${ours}-`)) return 1;
  return 0;
}

function bestMatch(reported: string, model: ModelConfig): { score: number; length: number } {
  let best = { score: 0, length: 0 };
  for (const name of new Set([model.id, model.upstream_model ?? model.id, `${model.provider}/${model.upstream_model ?? model.id}`])) {
    const score = nameMatchScore(reported, name);
    if (score > best.score || (score === best.score && score > 0 && name.length > best.length)) best = { score, length: name.length };
  }
  return best;
}

/**
 * Which of our strong/weak models RouteLLM answered with. Ties go to the longer name, so a snapshot
 * `gpt-4o-mini-2024-07-18` is the weak `gpt-4o-mini`, not the strong `gpt-4o`.
 */
export function matchRoutedModel(reported: string, strong: ModelConfig, weak: ModelConfig): ModelConfig | undefined {
  const s = bestMatch(reported, strong);
  const w = bestMatch(reported, weak);
  if (s.score === 0 && w.score === 0) return undefined;
  if (s.score !== w.score) return s.score > w.score ? strong : weak;
  return s.length >= w.length ? strong : weak;
}

function catalogModel(config: GatewayConfig, id: string, role: string): ModelConfig {
  const model = config.models.find((m) => m.id === id);
  if (!model) throw new Error(`routing.backend.${role} names ${id}, which is not a configured model`);
  return model;
}

/**
 * Re-picks between our strong and weak model with a RouteLLM server (lm-sys/RouteLLM `openai_server`).
 * That server only routes as part of a chat completion: the model `router-<router>-<threshold>` makes
 * it score the last message, call the strong or weak model through LiteLLM and answer with that
 * model's name. So each decision makes one tiny upstream call through the RouteLLM server
 * (`max_tokens: 1`, only the last user turn, which is all its routers read).
 * `base_url` is the server's OpenAI base, e.g. `http://localhost:6060/v1`.
 */
export function createRouteLlmBackend(config: GatewayConfig, backend: RouteLlmBackendConfig): RoutingBackend {
  const strong = catalogModel(config, backend.strong_model, 'strong_model');
  const weak = catalogModel(config, backend.weak_model, 'weak_model');
  if (!(backend.threshold >= 0 && backend.threshold <= 1)) {
    throw new Error(`routing.backend.threshold must be between 0 and 1 for RouteLLM, got ${backend.threshold}`);
  }
  const url = joinUrl(backend.base_url, '/chat/completions');
  const routerModel = `router-${backend.router}-${backend.threshold}`;
  async function ask(question: BackendQuestion): Promise<BackendAnswer> {
    const body = {
      model: routerModel,
      messages: [{ role: 'user', content: lastUserText(question.input.messages) }],
      max_tokens: 1,
      stream: false,
    };
    const parsed = RouteLlmResponse.safeParse(await postJson(url, body, {}, question.signal));
    if (!parsed.success) return { ok: false, reason: 'answered without a model name' };
    const reported = parsed.data.model;
    const routed = matchRoutedModel(reported, strong, weak);
    if (!routed) return { ok: false, reason: `answered with unknown model ${reported}` };
    const role = routed === strong ? 'strong' : 'weak';
    return { ok: true, model: routed.id, detail: `${role} model for ${routerModel}, upstream ${reported}` };
  }
  return externalRoutingBackend('routellm', backend.timeout_ms, ask);
}
