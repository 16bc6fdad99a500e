import { randomUUID } from 'node:crypto';
import type { Gateway } from './gateway-types.ts';
import type { ChunkToolCallDelta } from '../providers/chat-schema.ts';
import type { RequestRecord } from './request-record.ts';

/** A tool call as the answer carries it (plain, or accumulated from stream deltas). */
export interface AnsweredToolCall {
  function?: { name?: string; arguments?: string };
}

/** A tool the request offered (`tools[]`). */
export interface OfferedTool {
  function?: { name?: string };
}

/**
 * The tool-call errors the gateway can see in an answer without running the tools: a call to a function
 * the request did not offer, or arguments that are not a JSON object. An agent loop fails on either,
 * so the task was not completed however fluent the rest of the answer is.
 */
export function toolCallErrors(offered: readonly OfferedTool[] | undefined, calls: readonly AnsweredToolCall[]): string[] {
  const names = new Set((offered ?? []).map((t) => t.function?.name).filter((n): n is string => typeof n === 'string'));
  const errors: string[] = [];
  calls.forEach((call, i) => {
    const name = call.function?.name ?? '';
    const label = `tool call ${i + 1}${name ? ` (${name})` : ''}`;
    if (!name) errors.push(`${label}: no function name`);
    else if (offered !== undefined && !names.has(name)) errors.push(`${label}: calls a function the request did not offer`);
    const args = call.function?.arguments ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(args === '' ? '{}' : args);
    } catch {
      errors.push(`${label}: arguments are not valid JSON`);
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) errors.push(`${label}: arguments are not a JSON object`);
  });
  return errors;
}

/** Streams send a call's name once and its arguments in pieces, by index; this puts them together. */
export function accumulateToolCallDeltas(acc: Map<number, { name: string; arguments: string }>, deltas: readonly ChunkToolCallDelta[]): void {
  for (const d of deltas) {
    const call = acc.get(d.index) ?? { name: '', arguments: '' };
    if (d.function?.name) call.name += d.function.name;
    if (d.function?.arguments) call.arguments += d.function.arguments;
    acc.set(d.index, call);
  }
}

/** Called by the request path with the answer's tool calls; `recordRequest` stores what it finds. */
export function keepToolCallSignal(record: RequestRecord, offered: readonly OfferedTool[] | undefined, calls: readonly AnsweredToolCall[]): void {
  if (calls.length === 0) return;
  const errors = toolCallErrors(offered, calls);
  if (errors.length > 0) record.toolCallErrors = errors;
}

/**
 * Stores the tool-call errors as the `completion` signal (score 0) of the request: one row per
 * request, off the request path; a failed write is logged, never sent to the client.
 */
export function writeToolCallSignal(g: Pick<Gateway, 'store' | 'logger'>, record: RequestRecord, nowMs: number = Date.now()): void {
  const errors = record.toolCallErrors;
  if (!errors?.length) return;
  g.store
    .upsertFeedback({
      id: `fb_${randomUUID()}`,
      request_id: record.row.id,
      source: 'completion',
      score: 0,
      comment: errors.join('; ').slice(0, 4_000),
      created_at: nowMs,
    })
    .catch((err: unknown) => g.logger.warn({ err, request_id: record.row.id }, 'could not store the tool-call completion signal'));
}
