import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { invalidBodyError } from '../../pipeline/parse-chat-request.ts';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import type { RequestRow } from '../../store/types.ts';
import { errors, GatewayError } from '../../util/errors.ts';

/**
 * Body of POST /v1/feedback. A score (0 bad … 1 good) or thumbs (up = 1, down = 0), never both. `source`
 * says who rated: the same (request, source) pair rated again replaces the earlier score.
 */
export const FeedbackBody = z
  .strictObject({
    request_id: z.string().min(1).max(200),
    score: z.number().min(0).max(1).optional(),
    thumbs: z.enum(['up', 'down']).optional(),
    source: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9_.:-]+$/i, 'letters, digits and _ . : - only')
      .default('user'),
    comment: z.string().max(4_000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.score === undefined && body.thumbs === undefined) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: 'give `score` (0–1) or `thumbs` ("up" or "down")' });
    } else if (body.score !== undefined && body.thumbs !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['thumbs'], message: 'give `score` or `thumbs`, not both' });
    }
  });
export type FeedbackBody = z.infer<typeof FeedbackBody>;

/** Sources the gateway writes itself; only the admin key may post them (e.g. an external grading job). */
const RESERVED_SOURCES = new Set(['judge', 'completion']);

export function feedbackScore(body: FeedbackBody): number {
  if (body.score !== undefined) return body.score;
  return body.thumbs === 'up' ? 1 : 0;
}

function parseFeedbackBody(raw: unknown, isAdmin: boolean): FeedbackBody {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw errors.invalidField('body', 'Request body must be a JSON object.');
  const result = FeedbackBody.safeParse(raw);
  if (result.success) {
    if (!isAdmin && RESERVED_SOURCES.has(result.data.source)) {
      throw errors.invalidField('source', `Invalid value for 'source': '${result.data.source}' is reserved for the gateway and the admin key.`);
    }
    return result.data;
  }
  throw invalidBodyError(result.error, raw);
}

/** The request row, flushing the batched writer once if it is not in the store yet (it may be seconds old). */
async function findRequest(g: Gateway, requestId: string): Promise<RequestRow | undefined> {
  const row = await g.store.getRequest(requestId);
  if (row) return row;
  await g.writer.flush();
  return g.store.getRequest(requestId);
}

/**
 * POST /v1/feedback — a quality signal for an answered request. Authenticated like every /v1 route; a
 * key may rate only its own requests (another key's request answers 404, so ids cannot be probed),
 * the admin key any request.
 */
export function registerFeedbackRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  app.post('/v1/feedback', async (req, reply) => {
    const body = parseFeedbackBody(req.body, req.record.isAdmin);
    const g = gateway();
    const request = await findRequest(g, body.request_id);
    const ownedByCaller = req.record.isAdmin || !req.record.key || request?.key_id === req.record.key.id;
    if (!request || !ownedByCaller) {
      throw new GatewayError(404, 'not_found_error', `No request '${body.request_id}' to rate.`, {
        param: 'request_id',
        code: 'request_not_found',
      });
    }
    const score = feedbackScore(body);
    const createdAt = Date.now();
    await g.store.upsertFeedback({
      id: `fb_${randomUUID()}`,
      request_id: request.id,
      source: body.source,
      score,
      comment: body.comment ?? null,
      created_at: createdAt,
    });
    reply
      .status(200)
      .send({ request_id: request.id, source: body.source, score, comment: body.comment ?? null, created_at: new Date(createdAt).toISOString() });
  });
}
