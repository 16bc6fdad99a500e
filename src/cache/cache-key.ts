import { createHash } from 'node:crypto';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import type { ApiKeyRow } from '../store/types.ts';

/** Fields that never change the answer: how it is delivered, who it is logged for, how it was routed. */
const DELIVERY_FIELDS = new Set(['model', 'stream', 'stream_options', 'metadata', 'user', 'aigw']);

/**
 * Whose answers may be shared: every key of one team, else one key alone. Prefixed so a team named
 * like a key id cannot meet it. A gateway without keys is one caller; its admin is another.
 */
export function cacheNamespace(key: Pick<ApiKeyRow, 'id' | 'team'> | undefined, isAdmin: boolean): string {
  if (key) return key.team ? `team:${key.team}` : `key:${key.id}`;
  return isAdmin ? 'admin' : 'open';
}

/** JSON with object keys sorted at every depth, so equal values always serialize to the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
  return out;
}

/**
 * Every request field that can change the answer — messages, tools, response format and every
 * sampling parameter, unknown pass-through fields included — minus delivery fields. A top-level
 * null means "the default" in OpenAI's API, so it is the same request as the field left out.
 */
export function answerShapingFields(body: ChatRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (DELIVERY_FIELDS.has(k) || v === null || v === undefined) continue;
    out[k] = v;
  }
  return out;
}

/** SHA-256 (hex) of the canonical request as it would be sent to `target`, within one namespace. */
export function responseCacheKey(namespace: string, target: UpstreamTarget, body: ChatRequest): string {
  const canonical = canonicalJson({
    v: 1,
    namespace,
    provider: target.provider.id,
    model: target.model.id,
    upstream_model: target.model.upstream_model ?? target.model.id,
    request: answerShapingFields(body),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
