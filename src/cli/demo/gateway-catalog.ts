import OpenAI from 'openai';
import { z } from 'zod';
import { Pricing } from '../../config/schema.ts';

/** A callable model as GET /v1/models describes it (the `aigw` extension of each entry). */
export interface CatalogModel {
  id: string;
  pricing: Pricing;
  capabilities: string[];
  simulated: boolean;
}

export interface GatewayCatalog {
  models: CatalogModel[];
  /** Virtual models the router answers (`auto`, `auto-cost`, …). */
  routingModels: string[];
}

const ModelEntry = z.looseObject({
  id: z.string(),
  aigw: z
    .looseObject({
      routing: z.boolean().optional(),
      kind: z.string().optional(),
      pricing_usd_per_mtok: z.looseObject(Pricing.shape).optional(),
      capabilities: z.array(z.string()).optional(),
      simulated: z.boolean().optional(),
    })
    .optional(),
});

/** Thrown when the gateway cannot be used for the demo; the message says what to do. */
export class DemoSetupError extends Error {}

/** Reads the gateway's models and prices through the SDK, the way any client would. */
export async function fetchGatewayCatalog(client: OpenAI): Promise<GatewayCatalog> {
  const entries: unknown[] = [];
  try {
    for await (const model of client.models.list()) entries.push(model);
  } catch (err) {
    if (err instanceof OpenAI.AuthenticationError) {
      throw new DemoSetupError('The gateway requires an API key: pass --api-key or set AIGW_API_KEY (create one with `aigw keys create`).');
    }
    if (err instanceof OpenAI.APIConnectionError) throw new DemoSetupError(`Cannot reach the gateway at ${client.baseURL}: ${err.message}`);
    throw err;
  }
  return parseCatalog(entries);
}

export function parseCatalog(entries: readonly unknown[]): GatewayCatalog {
  const models: CatalogModel[] = [];
  const routingModels: string[] = [];
  for (const raw of entries) {
    const entry = ModelEntry.safeParse(raw);
    if (!entry.success || !entry.data.aigw) continue;
    const { aigw } = entry.data;
    if (aigw.routing) routingModels.push(entry.data.id);
    // The demo sends chat: embedding models (POST /v1/embeddings only) are not its to call.
    else if (aigw.pricing_usd_per_mtok && aigw.kind !== 'embedding') {
      models.push({
        id: entry.data.id,
        pricing: knownPrices(aigw.pricing_usd_per_mtok),
        capabilities: aigw.capabilities ?? [],
        simulated: aigw.simulated ?? false,
      });
    }
  }
  return { models, routingModels };
}

/** Only the price fields this client knows; a newer gateway may send more. */
function knownPrices(p: Pricing): Pricing {
  return { input: p.input, output: p.output, cached_input: p.cached_input, cache_write: p.cache_write, reasoning: p.reasoning };
}

/**
 * The model a cost-blind client would pick: highest list price, judged on a 3:1 input:output token
 * blend (the usual shape of chat traffic), input price breaking ties.
 */
export function mostExpensiveModel(models: readonly CatalogModel[]): CatalogModel | undefined {
  const blended = (m: CatalogModel) => (3 * m.pricing.input + m.pricing.output) / 4;
  let best: CatalogModel | undefined;
  for (const m of models) {
    if (!best || blended(m) > blended(best) || (blended(m) === blended(best) && m.pricing.input > best.pricing.input)) best = m;
  }
  return best;
}
