import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGateway, type RunningGateway } from '../../gateway/serve.ts';
import { registerDemoCommand } from './demo-command.ts';

let dir: string;
let gateway: RunningGateway;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aigw-demo-cmd-'));
  gateway = await startGateway({ cwd: dir, port: 0, env: {}, logger: pino({ level: 'silent' }), simTimeScale: 0 });
});
afterAll(async () => {
  await gateway?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

function program(): Command {
  const p = new Command('aigw').option('-c, --config <file>').exitOverride();
  registerDemoCommand(p);
  return p;
}

describe('aigw demo', () => {
  it('parses its options, sends the traffic and prints the summary on stdout', async () => {
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await program().parseAsync(['demo', '--url', gateway.url, '-n', '12', '--concurrency', '3', '--seed', '5', '--no-progress'], { from: 'user' });
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const text = printed.join('\n');
    expect(text).toMatch(/^\naigw demo — SIMULATED fleet/);
    expect(text).toContain(`Gateway   ${gateway.url}\n`);
    expect(text).toMatch(/Requests {2}12 in .* concurrency 3\)/);
    expect(text).toMatch(/Models used\n {2}model +requests +share +cost +avg latency\n {2}sim-/);
    expect(text).toMatch(/Overhead {2}p50 [\d.]+ ms · p99 [\d.]+ ms/);
  });

  it('rejects bad numbers with a usage error', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(program().parseAsync(['demo', '-n', 'zero'], { from: 'user' })).rejects.toThrow(/--requests must be a positive integer/);
    } finally {
      err.mockRestore();
    }
  });
});
