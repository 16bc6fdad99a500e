import type { ChatRequest } from '../providers/chat-schema.ts';

/**
 * The common chat body — text messages and scalar sampling fields — checked by hand and used as is,
 * without zod's walk and deep copy (about a tenth of the gateway's CPU per request). Anything this
 * does not recognise as certainly valid (content parts, tools, response_format, stop, metadata, aigw,
 * any out-of-range or odd value) returns undefined and goes through the zod schema, which accepts or
 * names the bad field exactly as before. Every check here mirrors src/providers/chat-schema.ts: a body
 * accepted here is accepted by the schema with an equal result (plain-chat-request.test.ts).
 */
export function plainChatRequest(body: unknown): ChatRequest | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.length === 0) return undefined;
  if (!plainMessages(b.messages)) return undefined;
  for (const key in b) {
    if (key === 'model' || key === 'messages') continue;
    const check = SCALAR_FIELDS.get(key);
    // A schema field this fast path does not check (tools, stop, …): the schema decides.
    if (check === undefined) {
      if (SCHEMA_FIELDS.has(key)) return undefined;
      continue;
    }
    if (!check(b[key])) return undefined;
  }
  return body as ChatRequest;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function plainMessages(messages: unknown): boolean {
  if (!Array.isArray(messages) || messages.length === 0) return false;
  for (const m of messages as unknown[]) {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) return false;
    const msg = m as Record<string, unknown>;
    if (typeof msg.role !== 'string' || !ROLES.has(msg.role)) return false;
    const content = msg.content;
    if (content !== undefined && content !== null && typeof content !== 'string') return false;
    if (msg.name !== undefined && typeof msg.name !== 'string') return false;
    if (msg.tool_calls !== undefined || msg.tool_call_id !== undefined) return false;
  }
  return true;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const inRange = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
const nullable =
  (check: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === null || check(v);

/** The schema's scalar fields and what each accepts (null where the schema says nullable). */
const SCALAR_FIELDS = new Map<string, (v: unknown) => boolean>([
  ['stream', nullable((v) => typeof v === 'boolean')],
  [
    'stream_options',
    nullable(
      (v) =>
        v !== null &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        Object.keys(v).every((k) => k === 'include_usage' && typeof (v as { include_usage: unknown }).include_usage === 'boolean'),
    ),
  ],
  ['n', nullable((v) => isInt(v) && v >= 1 && v <= 128)],
  ['max_tokens', nullable((v) => isInt(v) && v > 0)],
  ['max_completion_tokens', nullable((v) => isInt(v) && v > 0)],
  ['temperature', nullable((v) => inRange(v, 0, 2))],
  ['top_p', nullable((v) => inRange(v, 0, 1))],
  ['seed', nullable(isInt)],
  ['user', (v) => typeof v === 'string'],
  ['presence_penalty', nullable((v) => inRange(v, -2, 2))],
  ['frequency_penalty', nullable((v) => inRange(v, -2, 2))],
  ['parallel_tool_calls', (v) => typeof v === 'boolean'],
]);

/** Every field the schema names; one not in SCALAR_FIELDS (and not model/messages) sends the body through zod. */
export const SCHEMA_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'n',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'seed',
  'user',
  'metadata',
  'presence_penalty',
  'frequency_penalty',
  'aigw',
]);
