import type { FastifyReply, FastifyRequest } from 'fastify';
import { costUsd } from '../costs/cost.ts';
import { countTextTokens } from '../costs/estimate-tokens.ts';
import { maxCostUsd } from '../costs/max-cost.ts';
import { embeddingItems, type EmbeddingItem, type EmbeddingsRequest, type EmbeddingsResponse } from '../providers/embeddings/embeddings-schema.ts';
import type { EmbeddingsCall, MappedEmbeddings } from '../providers/embeddings/embeddings-types.ts';
import type { NormalizedUsage, UpstreamTarget } from '../providers/types.ts';
import { errors } from '../util/errors.ts';
import { enforceRateLimit, mostCostUsd, reserveBudgetUsd, settleBudget } from './budget-guard.ts';
import { callUpstream, noteAttempts } from './call-upstream.ts';
import { usageWithCost } from './client-format/openai-format.ts';
import type { Gateway } from './gateway-types.ts';
import { runLoggedRequest } from './logged-request.ts';
import { applyUsage, finishTiming, type RequestRecord } from './request-record.ts';
import { gatewayHeaders } from './request-log.ts';
import { attemptEmbeddings, simControlHeaders } from './upstream-attempts.ts';

/**
 * POST /v1/embeddings: the named embedding model and its configured fallbacks (no routing: vectors
 * of different models are not interchangeable, so `auto` has no meaning here) → rate limit →
 * reserve budget → call with retries, fallback and breakers → price the input tokens → answer in
 * OpenAI's format (base64 when asked) with `usage.cost` → one row in the request log, like chat.
 */
export async function handleEmbeddingsRequest(g: Gateway, req: FastifyRequest, reply: FastifyReply, body: EmbeddingsRequest): Promise<void> {
  await runLoggedRequest(g, req, reply, async (gone) => {
    const record = req.record;
    noteRequest(record, body);
    const targets = embeddingTargets(g, body.model);
    await enforceRateLimit(g, record);
    const call: EmbeddingsCall = { items: embeddingItems(body.input), dimensions: body.dimensions };
    const reservation = await reserveBudgetUsd(g, record, maxEmbeddingsCostUsd(call.items, targets));
    try {
      const ctx = {
        upstream: g.upstream,
        record,
        defaultTimeoutMs: g.config.reliability.default_timeout_ms,
        simHeaders: simControlHeaders(req.headers),
        signal: gone,
      };
      const outcome = await callUpstream(g, targets, (target) => attemptEmbeddings(ctx, call, target), {
        signal: gone,
        trace: record.trace,
        operation: 'embeddings',
        onOutcome: (o) => noteAttempts(record, o),
      });
      const usage = settleEmbeddings(record, outcome.target, call.items, outcome.value);
      finishTiming(record);
      reply.headers(gatewayHeaders(record, outcome.target, undefined, g.simulated));
      reply
        .header('content-type', 'application/json')
        .send(JSON.stringify(embeddingsResponse(body, outcome.target, outcome.value, usage, record.row.cost_usd)));
    } finally {
      await settleBudget(g, reservation, record);
    }
  });
}

function noteRequest(record: RequestRecord, body: EmbeddingsRequest): void {
  record.row.model_requested = body.model;
  record.trace?.rename(`embeddings ${body.model}`);
  record.trace?.set({
    'gen_ai.operation.name': 'embeddings',
    'gen_ai.request.model': body.model,
    'gen_ai.request.encoding_formats': [body.encoding_format ?? 'float'],
    'gen_ai.embeddings.dimension.count': body.dimensions,
  });
}

/** The named model and its embedding fallbacks; a routing model, a chat model or an unknown id is the client's error. */
function embeddingTargets(g: Gateway, model: string): UpstreamTarget[] {
  if (g.catalog.isVirtual(model)) {
    throw errors.invalidField(
      'model',
      `'${model}' is a routing model for chat; embeddings go to the embedding model you name (GET /v1/models lists them with kind 'embedding').`,
    );
  }
  const targets = g.catalog.withFallbacks(model);
  if (targets.length === 0) throw errors.modelNotFound(model);
  if (targets[0]!.model.kind !== 'embedding') {
    throw errors.invalidField('model', `'${model}' is a chat model; POST /v1/embeddings needs an embedding model (kind: embedding in the catalog).`);
  }
  return targets.filter((t) => t.model.kind === 'embedding');
}

function itemTokens(item: EmbeddingItem): number {
  return 'text' in item ? countTextTokens(item.text) : item.tokens.length;
}

/** The most the inputs can cost on any candidate: input tokens only, at the dearest input price. */
function maxEmbeddingsCostUsd(items: readonly EmbeddingItem[], targets: readonly UpstreamTarget[]): number {
  const tokens = items.reduce((sum, item) => sum + itemTokens(item), 0);
  return mostCostUsd(targets, (t) => maxCostUsd(tokens, 0, t.model.pricing));
}

/** The upstream's token count when it sent one (Gemini does not), else the tokenizer's, marked estimated; priced per input token. */
function settleEmbeddings(record: RequestRecord, target: UpstreamTarget, items: readonly EmbeddingItem[], mapped: MappedEmbeddings): NormalizedUsage {
  const inputTokens = mapped.inputTokens ?? items.reduce((sum, item) => sum + itemTokens(item), 0);
  const usage: NormalizedUsage = { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
  applyUsage(record.row, usage, costUsd(usage, target.model.pricing), mapped.inputTokens === undefined);
  record.row.status = 200;
  return usage;
}

/** float32 little-endian bytes in base64, as OpenAI encodes `encoding_format: base64` (the openai SDK's default). */
function base64Vector(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function embeddingsResponse(
  body: EmbeddingsRequest,
  target: UpstreamTarget,
  mapped: MappedEmbeddings,
  usage: NormalizedUsage,
  costUsdValue: number,
): EmbeddingsResponse {
  const base64 = body.encoding_format === 'base64';
  const { prompt_tokens, total_tokens, cost } = usageWithCost(usage, costUsdValue);
  return {
    object: 'list',
    data: mapped.vectors.map((v, index) => ({ object: 'embedding', index, embedding: base64 ? base64Vector(v) : v })),
    model: target.model.id,
    usage: { prompt_tokens, total_tokens, cost },
  };
}
