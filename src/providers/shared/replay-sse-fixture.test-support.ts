/**
 * Test support shared by the provider stream tests: replays a recorded `.chunks.txt` SSE stream
 * through SseParser and a StreamMapper, split at awkward byte boundaries, and checks every split
 * yields the same result.
 */
import { readFileSync } from 'node:fs';
import type { ChatCompletionChunk, ChunkToolCallDelta, FinishReason } from '../chat-schema.ts';
import { SseParser } from '../sse.ts';
import type { SseEvent } from '../sse.ts';
import type { StreamMapper, UpstreamError } from '../types.ts';

export interface ReplayResult {
  events: SseEvent[];
  chunks: ChatCompletionChunk[];
  errors: UpstreamError[];
  done: boolean;
  mapper: StreamMapper;
}

/** Byte-size cycles the stream is cut into: every byte, odd primes, and one roomy size. */
export const AWKWARD_SPLITS: readonly (readonly number[])[] = [[1], [2, 3, 5, 7, 11, 13], [17], [4096]];

export function replaySseBytes(bytes: Uint8Array, mapper: StreamMapper, sizes: readonly number[]): ReplayResult {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    events.push(...parser.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  events.push(...parser.end());
  const chunks: ChatCompletionChunk[] = [];
  const errors: UpstreamError[] = [];
  for (const ev of events) {
    const out = mapper.push(ev);
    if (Array.isArray(out)) chunks.push(...out);
    else errors.push(out);
  }
  return { events, chunks, errors, done: mapper.done(), mapper };
}

function comparable(r: ReplayResult): string {
  return JSON.stringify({
    chunks: r.chunks.map(({ created: _created, ...rest }) => rest),
    errors: r.errors,
    done: r.done,
    usage: r.mapper.usage(),
  });
}

/** Replays a fixture file with every AWKWARD_SPLITS pattern; throws if any two disagree. */
export function replaySseFixture(fixture: URL | string, makeMapper: () => StreamMapper): ReplayResult {
  const bytes = readFileSync(fixture);
  const results = AWKWARD_SPLITS.map((sizes) => replaySseBytes(bytes, makeMapper(), sizes));
  const first = results[0];
  if (!first) throw new Error('no split patterns');
  const reference = comparable(first);
  for (const [i, r] of results.entries()) {
    if (comparable(r) !== reference) {
      throw new Error(`replay of ${String(fixture)} differs when split by [${AWKWARD_SPLITS[i]?.join(',')}]`);
    }
  }
  return first;
}

/** The assistant text of one choice, concatenated from its deltas. */
export function collectText(chunks: ChatCompletionChunk[], choiceIndex = 0): string {
  let text = '';
  for (const c of chunks) {
    for (const choice of c.choices) {
      if (choice.index === choiceIndex && typeof choice.delta.content === 'string') text += choice.delta.content;
    }
  }
  return text;
}

export interface AssembledToolCall {
  id: string | undefined;
  name: string;
  arguments: string;
}

/** Tool calls of one choice assembled from their deltas the way OpenAI SDK clients do it. */
export function collectToolCalls(chunks: ChatCompletionChunk[], choiceIndex = 0): AssembledToolCall[] {
  const calls: AssembledToolCall[] = [];
  const apply = (d: ChunkToolCallDelta): void => {
    const call = (calls[d.index] ??= { id: undefined, name: '', arguments: '' });
    if (d.id) call.id = d.id;
    if (d.function?.name) call.name += d.function.name;
    if (d.function?.arguments) call.arguments += d.function.arguments;
  };
  for (const c of chunks) {
    for (const choice of c.choices) {
      if (choice.index === choiceIndex) choice.delta.tool_calls?.forEach(apply);
    }
  }
  return calls;
}

export function collectFinishReasons(chunks: ChatCompletionChunk[]): Array<FinishReason> {
  return chunks.flatMap((c) => c.choices.flatMap((ch) => (ch.finish_reason ? [ch.finish_reason] : [])));
}

/** Reads a `.json` wire fixture (a request or response body). */
export function loadJsonFixture(fixture: URL | string): unknown {
  return JSON.parse(readFileSync(fixture, 'utf8')) as unknown;
}

/** Reads a fixture as the raw text an upstream would send (for error bodies). */
export function loadTextFixture(fixture: URL | string): string {
  return readFileSync(fixture, 'utf8');
}
