import type { SimModel } from './fleet-schema.ts';

/** One SSE event, already in wire form, with the time (ms after the request arrived) it is due. */
export interface TimedEvent {
  atMs: number;
  wire: string;
}

/** Splits text into word-sized pieces (about one token each) whose concatenation is the text. */
export function splitWords(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\S)(?=\s)/);
}

/** Splits JSON arguments into fixed-size pieces, as providers stream tool-call arguments. */
export function splitFixed(text: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * When the simulated model emits its output: first token after ttft plus the hidden reasoning time,
 * then one token every 1/output_tokens_per_s. All times are multiplied by timeScale.
 */
export class TokenClock {
  private readonly msPerToken: number;
  private readonly startMs: number;

  constructor(model: SimModel, reasoningTokens: number, timeScale: number) {
    this.msPerToken = (1000 / model.output_tokens_per_s) * timeScale;
    this.startMs = model.ttft_ms * timeScale + reasoningTokens * this.msPerToken;
  }

  /** Time the first token is due. */
  firstMs(): number {
    return this.startMs;
  }

  /** Time the output is complete once `outputChars` characters (chars/4 tokens) have been emitted. */
  afterChars(outputChars: number): number {
    return this.startMs + (outputChars / 4) * this.msPerToken;
  }
}

/** Sorts events by due time, keeping the order of events due at the same time. */
export function byDueTime(events: TimedEvent[]): TimedEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.atMs - b.e.atMs || a.i - b.i)
    .map((x) => x.e);
}
