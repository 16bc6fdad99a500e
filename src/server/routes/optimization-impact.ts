import type { FastifyInstance } from 'fastify';
import { deriveRequestQuality } from '../../analytics/recommend/request-quality.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import type { FeedbackRow, RequestRow } from '../../store/types.ts';
import { GatewayError } from '../../util/errors.ts';
import type { OptimizationJson } from '../../pipeline/optimization-record.ts';

/**
 * GET /v1/optimizations/:requestId — the impact record of one optimized request: what was
 * recommended and run, what it sent and cost against the plain call's estimate, and the quality
 * signals that arrived for it since (POST /v1/feedback, the background judge). The record itself is
 * written once, with the request; quality arrives later in the feedback table and is joined here,
 * so a late score never rewrites the spend log.
 */

export interface OptimizationImpact {
  request_id: string;
  created_at: string;
  status: number;
  model_used: string | null;
  decision_id: string | null;
  optimization: OptimizationJson;
  /** cost_usd − plain_estimate_usd: what the technique added over one plain call (negative: it saved). */
  extra_cost_usd: number;
  /** cost_usd ÷ plain_estimate_usd; null without an estimate. */
  cost_vs_plain: number | null;
  quality: {
    /** Derived like every analysis does (people, then the judge, then completion signals); null while unknown. */
    score: number | null;
    /** For a router recommendation: observed score minus the predicted quality of the pairing. */
    vs_predicted: number | null;
    signals: Array<{ source: string; score: number; comment: string | null; created_at: string }>;
  };
}

export function optimizationImpact(row: RequestRow, feedback: readonly FeedbackRow[]): OptimizationImpact {
  const optimization = JSON.parse(row.optimization ?? '{}') as OptimizationJson;
  const score = deriveRequestQuality(feedback, { status: row.status, finishReason: row.finish_reason });
  const predicted = optimization.recommendation?.predicted_quality;
  return {
    request_id: row.id,
    created_at: new Date(row.created_at).toISOString(),
    status: row.status,
    model_used: row.model_used,
    decision_id: row.decision_id,
    optimization,
    extra_cost_usd: optimization.cost_usd - optimization.plain_estimate_usd,
    cost_vs_plain: optimization.plain_estimate_usd > 0 ? optimization.cost_usd / optimization.plain_estimate_usd : null,
    quality: {
      score,
      vs_predicted: score !== null && predicted !== undefined ? score - predicted : null,
      signals: feedback.map((f) => ({ source: f.source, score: f.score, comment: f.comment, created_at: new Date(f.created_at).toISOString() })),
    },
  };
}

export function registerOptimizationImpactRoute(app: FastifyInstance, gateway: () => Gateway): void {
  app.get<{ Params: { requestId: string } }>('/v1/optimizations/:requestId', async (req, reply) => {
    const g = gateway();
    const id = req.params.requestId;
    const notFound = new GatewayError(404, 'not_found_error', `No optimized request '${id}'.`, { param: 'requestId', code: 'optimization_not_found' });
    let row = await g.store.getRequest(id);
    if (!row) {
      // The row may still be in the batched writer's queue.
      await g.writer.flush();
      row = await g.store.getRequest(id);
    }
    // Another key's request is reported as absent, not forbidden: ids must not be probeable.
    if (!row?.optimization || (!req.record.isAdmin && req.record.key && row.key_id !== req.record.key.id)) throw notFound;
    reply.send(optimizationImpact(row, await g.store.listFeedback(id)));
  });
}
