import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { BatchedLines } from './batched-lines.ts';

/**
 * The gateway's logger: JSON lines (for log shippers) unless the output is a terminal, where each
 * line is readable: `12:04:05 INFO request id=… model=sim-mini status=200 …`. AIGW_LOG_FORMAT=json or
 * pretty overrides the guess; AIGW_LOG_LEVEL sets the level (default info).
 */
export function createLogger(env: NodeJS.ProcessEnv, out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Logger {
  const level = env.AIGW_LOG_LEVEL ?? 'info';
  const pretty = env.AIGW_LOG_FORMAT === 'pretty' || (env.AIGW_LOG_FORMAT !== 'json' && out.isTTY === true);
  if (pretty) return pino({ level }, prettyStream(out));
  // The process's own stdout gathers access lines into fewer writes (src/util/batched-lines.ts).
  return pino({ level }, out === process.stdout ? new BatchedLines(out) : out);
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function valueText(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) || value === '' ? JSON.stringify(value) : value;
  if (value !== null && typeof value === 'object') {
    const err = value as { message?: unknown; stack?: unknown };
    if (typeof err.message === 'string') return JSON.stringify(err.message);
    return JSON.stringify(value);
  }
  return String(value);
}

/** One pino JSON line as `HH:MM:SS LEVEL msg key=value …` (UTC time). */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = LEVEL_NAMES[Number(entry.level)] ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([k, v]) => !OMITTED.has(k) && v !== undefined && v !== null)
    .map(([k, v]) => `${k}=${valueText(v)}`);
  return [time, level.padEnd(5), String(entry.msg ?? ''), ...fields].filter((s) => s !== '').join(' ');
}

function prettyStream(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line !== '') out.write(`${prettyLine(line)}\n`);
      done();
    },
  });
}
