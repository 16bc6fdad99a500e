import type { GatewayCatalog } from './gateway-catalog.ts';
import type { DemoPrompt } from './prompts.ts';
import { createPicker, seededRandom } from './seeded-random.ts';

/** One request of the demo: a prompt, the model asked for, and whether it streams. */
export interface DemoRequest {
  index: number;
  prompt: DemoPrompt;
  model: string;
  stream: boolean;
}

/** Share of requests per routing model; the rest name a model directly. */
const ROUTED_SHARES: ReadonlyArray<[string, number]> = [
  ['auto', 0.5],
  ['auto-cost', 0.15],
  ['auto-quality', 0.15],
];
const STREAM_SHARE = 0.25;

/** Capabilities a prompt needs from a named model (the router checks them itself for routed requests). */
function neededCapabilities(prompt: DemoPrompt): string[] {
  const caps: string[] = [];
  if (prompt.tools) caps.push('tools');
  if (prompt.jsonMode) caps.push('json');
  return caps;
}

/**
 * Assigns each prompt a model and a stream flag, deterministically for a seed: mostly `auto`, some
 * `auto-cost` and `auto-quality`, and the rest named models in turn (only ones that can serve the prompt).
 */
export function planDemoRequests(prompts: readonly DemoPrompt[], catalog: GatewayCatalog, seed = 1): DemoRequest[] {
  const pick = createPicker(seededRandom(seed ^ 0x5eed));
  const routed = ROUTED_SHARES.filter(([model]) => catalog.routingModels.includes(model));
  const fallbackRouted = routed[0]?.[0] ?? catalog.routingModels[0];
  let namedTurn = 0;
  return prompts.map((prompt, index) => {
    const stream = pick.chance(STREAM_SHARE);
    let draw = pickShare(pick.int(0, 9_999) / 10_000, routed);
    if (draw === undefined) {
      const caps = neededCapabilities(prompt);
      const capable = catalog.models.filter((m) => caps.every((c) => m.capabilities.includes(c)));
      if (capable.length > 0) draw = capable[namedTurn++ % capable.length]!.id;
    }
    const model = draw ?? fallbackRouted ?? catalog.models[0]?.id;
    if (model === undefined) throw new Error('the gateway lists no models');
    return { index, prompt, model, stream };
  });
}

/** The routing model whose cumulative share covers `u`, or undefined for the named-model remainder. */
function pickShare(u: number, shares: ReadonlyArray<[string, number]>): string | undefined {
  let acc = 0;
  for (const [model, share] of shares) {
    acc += share;
    if (u < acc) return model;
  }
  return undefined;
}
