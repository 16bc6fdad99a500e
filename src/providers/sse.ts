/** One server-sent event: its `event:` name, if any, and its `data:` lines joined with `\n`. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/**
 * Incremental SSE parser (WHATWG event-stream rules). Chunks may split anywhere, even inside a line
 * or a multi-byte UTF-8 character: the streaming TextDecoder holds partial characters back.
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  private sawCarriageReturn = false;
  private atStart = true;
  private dataLines: string[] = [];
  private eventName: string | undefined;
  private lastId: string | undefined;

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text);
  }

  /**
   * Flushes what is left when the stream ends. Unlike a browser EventSource it also dispatches a final
   * event that lacks its blank line, so `data: [DONE]` without a trailing newline still counts;
   * a truncated JSON payload is left for the mapper to reject.
   */
  end(): SseEvent[] {
    const out = this.consume(this.decoder.decode());
    if (this.pending.length > 0) {
      this.processLine(this.pending, out);
      this.pending = '';
    }
    this.dispatch(out);
    return out;
  }

  private consume(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let s = text;
    if (this.atStart && s.length > 0) {
      this.atStart = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let start = 0;
    // A CR ending the previous chunk may be the first half of a CRLF.
    if (this.sawCarriageReturn && s.charCodeAt(0) === 10) start = 1;
    this.sawCarriageReturn = false;
    for (let i = start; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this.pending + s.slice(start, i);
      this.pending = '';
      this.processLine(line, out);
      if (c === 13) {
        if (i + 1 < s.length) {
          if (s.charCodeAt(i + 1) === 10) i++;
        } else {
          this.sawCarriageReturn = true;
        }
      }
      start = i + 1;
    }
    if (start < s.length) this.pending += s.slice(start);
    return out;
  }

  private processLine(line: string, out: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
    else if (field === 'id') this.lastId = value;
  }

  private dispatch(out: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      const ev: SseEvent = { data: this.dataLines.join('\n') };
      if (this.eventName !== undefined && this.eventName !== '') ev.event = this.eventName;
      if (this.lastId !== undefined) ev.id = this.lastId;
      out.push(ev);
    }
    this.dataLines = [];
    this.eventName = undefined;
  }
}

/*
 * Every SSE line the gateway and the simulated fleet write goes through these, so the framing
 * (`data: ` prefix, blank-line terminator) is written in one place.
 */

/** Serializes one payload as an SSE `data:` event. */
export function formatSseData(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/** Serializes one payload as a named SSE event (`event:` then `data:`), as Anthropic streams do. */
export function formatSseEvent(event: string, payload: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** The OpenAI stream terminator. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** Response headers that open an SSE stream to the client. */
export const SSE_RESPONSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } as const;
