import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/store/open-store.ts';

/**
 * Issue 15, findings 4 and 8: the CLI accepted key limits the HTTP API refuses (`--daily-usd abc`
 * made a key with no budget, `-1` and `--rpm -5` made every request a 500, `1e400` stored
 * Infinity), and ordinary mistakes printed stack traces. Every mistake is now one line, exit code 2.
 */
const AIGW_BIN = resolve(import.meta.dirname, '../bin/aigw.mjs');
const cwd = mkdtempSync(join(tmpdir(), 'aigw-cli-'));
let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const address = busy.address();
  busyPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

function aigw(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [AIGW_BIN, ...args], { cwd, env: { ...process.env, AIGW_LOG_LEVEL: 'silent' }, timeout: 30_000 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

describe.concurrent('CLI mistakes', () => {
  it.each([
    [['keys', 'create', '-n', 'x', '--daily-usd', 'abc'], "--daily-usd: got 'abc'"],
    [['keys', 'create', '-n', 'x', '--daily-usd', '-1'], "--daily-usd: got '-1'"],
    [['keys', 'create', '-n', 'x', '--rpm', '-5'], "--rpm: got '-5'"],
    [['keys', 'create', '-n', 'x', '--rpm', '2.5'], "--rpm: got '2.5'"],
    [['keys', 'create', '-n', 'x', '--monthly-usd', '1e400'], "--monthly-usd: got '1e400'"],
    [['optimize', 'hi', '--approach', 'selfconsistency', '--model', 'sim-mini'], "Unknown technique 'selfconsistency'"],
    [['optimize', 'hi', '--approach', 'none', '--model', 'gpt-4o'], "--model 'gpt-4o' is not a simulated model"],
    [['eval', 'routing', '--data', 'none.jsonl', '--held-out', 'mmlu'], '--held-out needs --by-dataset'],
  ])('aigw %j: one line, exit 2', async (args, message) => {
    const { code, stderr } = await aigw(args);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('aigw serve on a busy port: one line naming the port, exit 2', async () => {
    const { code, stderr } = await aigw(['serve', '--port', String(busyPort), '--host', '127.0.0.1']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`aigw: cannot listen on 127.0.0.1:${busyPort}: it is already in use (choose another with --port / --host)`);
  });
});

describe('after the mistakes', () => {
  it('no bad key was stored by any of them', async () => {
    const store = await openStore({ dir: join(cwd, 'data') });
    try {
      expect(await store.listApiKeys()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
