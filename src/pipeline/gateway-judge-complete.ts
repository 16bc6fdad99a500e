import { randomUUID } from 'node:crypto';
import type { Gateway } from './gateway-types.ts';
import { createGatewayComplete } from './gateway-complete.ts';
import { applyUsage, finishTiming, newRequestRecord } from './request-record.ts';
import { recordRequest } from './request-log.ts';
import type { JudgeCompleteFactory } from '../quality/judge-queue.ts';
import { GATEWAY_SPEND_KEYS } from '../store/types.ts';

/** Structured output for judge models that support it: the reply is then always `{"score": S}`. */
export const JUDGE_SCORE_FORMAT = {
  type: 'json_schema' as const,
  json_schema: {
    name: 'judge_score',
    strict: true,
    schema: { type: 'object', properties: { score: { type: 'number', minimum: 0, maximum: 1 } }, required: ['score'], additionalProperties: false },
  },
};

/** Longest one grading call may take, retries and fallbacks included. */
export const JUDGE_CALL_TIMEOUT_MS = 60_000;

/**
 * The judge's `Complete` over the gateway's own providers (retries, fallbacks, breakers, pricing). Each
 * grading call leaves its own row in the spend log — model requested = the judge model, metadata
 * `{"aigw_judge_for": <request id>}` — so the judge's spend is counted like any other request.
 */
export function gatewayJudgeComplete(gateway: () => Gateway): JudgeCompleteFactory {
  return (model, forRequestId) => async (call) => {
    const g = gateway();
    const target = g.catalog.target(model);
    if (!target) throw new Error(`judge model ${model} is not in the catalog`);
    const record = newRequestRecord(`judge_${randomUUID()}`, Date.now());
    record.row.model_requested = model;
    record.row.metadata = JSON.stringify({ aigw_judge_for: forRequestId });
    // Its own spend category: the analyses keep it apart from client traffic, the judge's daily cap sums it.
    record.row.key_id = GATEWAY_SPEND_KEYS.judge;
    const targets = [target, ...target.model.fallbacks.flatMap((id) => g.catalog.target(id) ?? [])];
    const { complete, ledger } = createGatewayComplete({
      g,
      request: { model, messages: call.messages, ...(target.model.capabilities.includes('json') ? { response_format: JUDGE_SCORE_FORMAT } : {}) },
      targets,
      record,
      simHeaders: {},
      signal: AbortSignal.timeout(JUDGE_CALL_TIMEOUT_MS),
    });
    try {
      const result = await complete(call);
      record.row.status = 200;
      record.row.finish_reason = result.finishReasons[0] ?? null;
      return result;
    } catch (err) {
      record.row.status = 502;
      record.row.error_type = 'judge_call_failed';
      throw err;
    } finally {
      applyUsage(record.row, ledger.usage, ledger.costUsd, ledger.estimated);
      record.row.attempts = ledger.attempts;
      record.row.model_used = ledger.lastTarget?.model.id ?? null;
      record.row.provider = ledger.lastTarget?.provider.id ?? null;
      finishTiming(record);
      recordRequest(g, record);
    }
  };
}
