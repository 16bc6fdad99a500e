import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export interface CapturedLog {
  level: number;
  msg?: string;
  component?: string;
  err?: { stack?: string };
  [field: string]: unknown;
}

/** A pino logger whose lines land in `lines` (parsed), to assert what an operator would read. */
export function capturingLogger(): { logger: Logger; lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as CapturedLog);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}
