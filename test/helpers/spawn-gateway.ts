import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const AIGW_BIN = resolve(import.meta.dirname, '../../bin/aigw.mjs');

/** Starts `aigw serve` as a real process and resolves with its URL once it logs that it listens. */
export function spawnGateway(cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [AIGW_BIN, 'serve', '--port', '0'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Array<{ msg?: string; url?: string; level?: number }> = [];
  const url = new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const log = JSON.parse(line) as { msg?: string; url?: string; level?: number };
        logs.push(log);
        if (log.msg === 'aigw gateway listening' && log.url) resolveUrl(log.url);
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited early with code ${code}`)));
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, url, exited, logs };
}
