import type { FastifyReply, FastifyRequest } from 'fastify';
import { selectTechnique } from '../optimizer/optillm-conventions.ts';
import { GatewayError } from '../util/errors.ts';
import { enforceRateLimit, reserveBudget, settleBudget } from './budget-guard.ts';
import type { Gateway } from './gateway-types.ts';
import { chooseTechnique, completeOptimized, conventionDeps } from './optimized-completion.ts';
import { parseChatRequest } from './parse-chat-request.ts';
import { completePlain } from './plain-completion.ts';
import { planRoute } from './plan-route.ts';
import type { RequestRecord } from './request-record.ts';
import { recordDecision, recordRequest } from './request-log.ts';
import { answerFromCache, lookupResponseCache } from './serve-from-cache.ts';

/**
 * The chat completion request path (POST /v1/chat/completions), top to bottom:
 * auth (onRequest hook) → validate → rate limit → route → reserve budget → call upstream with
 * retries, fallback and breakers → account usage and cost → settle budget → respond → log (batched).
 * A request with a technique (OptiLLM selector or the router's choice) branches after routing to
 * completeOptimized, which runs these steps for every call of the technique and sums them.
 */
export async function handleChatCompletion(g: Gateway, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const record = req.record;
  g.inFlight.enter();
  // A client that leaves stops the upstream work (retries, generation) and still leaves its row.
  const clientGone = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) clientGone.abort();
  };
  reply.raw.once('close', onClose);
  if (req.raw.socket.destroyed) onClose(); // it left before this handler ran
  try {
    const asked = parseChatRequest(req.body);
    record.row.model_requested = asked.model;
    record.row.stream = asked.stream === true;
    if (asked.metadata) record.row.metadata = JSON.stringify(asked.metadata);
    if (g.config.server.log_content) record.row.prompt_text = JSON.stringify(asked.messages);
    // OptiLLM technique selectors (model prefix, optillm_approach, <optillm_approach> tag) come off here.
    const { request: body, selection } = selectTechnique(asked, conventionDeps(g));

    await enforceRateLimit(g, record);
    // A client's technique serves n from its own samples, so the model needs no upstream n.
    const planned = planRoute(g, selection && selection.spec !== 'none' ? { ...body, n: undefined } : body, req.headers, record);
    const plan = planned instanceof Promise ? await planned : planned;
    if (plan.decision) recordDecision(g, plan.decision, record);
    const technique = chooseTechnique(g, record, selection, plan, body);
    if (technique) {
      await completeOptimized(g, req, reply, body, plan, technique, clientGone.signal);
      return;
    }
    // Exact-match cache: after routing (the key names the model), before any budget is held.
    const cache = await lookupResponseCache(g, reply, body, plan);
    if (cache.hit) {
      answerFromCache(g, reply, body, plan, cache);
      return;
    }
    const reservation = await reserveBudget(g, record, body, plan.targets);
    try {
      await completePlain({ g, reply, body, plan, signal: clientGone.signal, cache });
    } finally {
      await settleBudget(g, reservation, record);
    }
  } catch (err) {
    noteFailure(record, err);
    throw err;
  } finally {
    g.inFlight.leave();
    reply.raw.off('close', onClose);
    if (clientGone.signal.aborted) {
      // No response reaches the client, so fastify's onResponse hook will not write the row.
      if (record.row.status < 400) record.row.status = 499;
      record.row.error_type ??= 'client_closed';
      recordRequest(g, record);
    }
  }
}

/** Stamps the row with the error the client is about to get (the error handler sends it). */
function noteFailure(record: RequestRecord, err: unknown): void {
  const gwError = err instanceof GatewayError ? err : undefined;
  record.row.status = gwError?.status ?? 500;
  record.row.error_type = gwError ? (gwError.code ?? gwError.type) : 'internal_error';
}
