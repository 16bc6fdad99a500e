import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, prettyLine } from './logger.ts';

function capture(isTTY: boolean): { out: PassThrough & { isTTY?: boolean }; lines: () => string[] } {
  const out = new PassThrough() as PassThrough & { isTTY?: boolean };
  out.isTTY = isTTY;
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { out, lines: () => text.split('\n').filter((l) => l !== '') };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('createLogger', () => {
  it('writes readable lines on a terminal', async () => {
    const { out, lines } = capture(true);
    createLogger({}, out).info({ id: 'r1', model: 'sim-mini', status: 200, note: 'two words' }, 'request');
    await flush();
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}request id=r1 model=sim-mini status=200 note="two words"$/);
  });

  it('writes JSON lines otherwise, or when AIGW_LOG_FORMAT=json on a terminal', async () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { AIGW_LOG_FORMAT: 'json' }],
    ] as const) {
      const { out, lines } = capture(isTTY);
      createLogger(env, out).warn({ id: 'r2' }, 'slow');
      await flush();
      expect(JSON.parse(lines()[0] ?? '')).toMatchObject({ level: 40, msg: 'slow', id: 'r2' });
    }
  });

  it('formats an error by its message and keeps lines that are not JSON', () => {
    expect(prettyLine(JSON.stringify({ level: 50, time: 0, msg: 'failed', err: { message: 'boom', stack: '…' } }))).toBe('00:00:00 ERROR failed err="boom"');
    expect(prettyLine('plain text')).toBe('plain text');
  });
});
