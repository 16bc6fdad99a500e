import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { GatewayConfig } from '../../config/schema.ts';
import type { OpenStoreOptions } from '../../store/open-store.ts';
import type { RetrainOptions, RetrainResult } from './retrain.ts';

/** What the retrain process needs: where the store is, the catalog and routing config, the options. */
export interface RetrainJob {
  /** The gateway's resolved store (its environment applied). */
  store: OpenStoreOptions;
  config: { models: GatewayConfig['models']; routing: Pick<GatewayConfig['routing'], 'model_file' | 'learning'> };
  options: RetrainOptions;
}

/** Niceness of the retrain process: the gateway's own threads win the CPU whenever they want it. */
const RETRAIN_NICENESS = 15;

/** The child's entry beside this file: compiled (.js) or source run through tsx (.ts). */
function childEntry(): { path: string; execArgv: string[] } {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.js')) return { path: self.replace(/retrain-process\.js$/, 'retrain-child.js'), execArgv: [] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { path: self.replace(/retrain-process\.ts$/, 'retrain-child.ts'), execArgv: ['--import', pathToFileURL(tsx).href] };
}

/**
 * Runs `retrainFromStore` in a child process at low CPU priority, killed after `timeoutMs`. The gateway
 * only waits for a message, so a retrain never blocks a request, and a crash in it never stops the gateway.
 */
export function spawnRetrain(job: RetrainJob, timeoutMs: number, signal?: AbortSignal): Promise<RetrainResult> {
  const entry = childEntry();
  return new Promise((resolve, reject) => {
    const child = fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
    try {
      if (child.pid) setPriority(child.pid, RETRAIN_NICENESS);
    } catch {
      // Not permitted here: the process still runs, apart from the event loop.
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    signal?.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    child.once('message', (msg: { ok: true; result: RetrainResult } | { ok: false; error: string }) =>
      settle(() => (msg.ok ? resolve(msg.result) : reject(new Error(msg.error)))),
    );
    child.once('error', (err) => settle(() => reject(err)));
    child.once('exit', (code, signal) =>
      settle(() => reject(new Error(`the retrain process ended (${signal ?? `exit ${code}`}) without a result${stderr ? `: ${stderr.trim()}` : ''}`))),
    );
    child.send(job);
  });
}
