/**
 * The benchmark's server processes: the simulated upstream (bench/lib/sim-child.ts) and the gateway
 * (`aigw serve`, exactly as users start it). Each runs in its own process so that neither shares an
 * event loop with the other or with the load generator.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimChildReady } from './sim-child.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
const AIGW_BIN = fileURLToPath(new URL('../../bin/aigw.mjs', import.meta.url));
const SIM_CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited in time; resolves with the exit code. */
  stop(): Promise<number | null>;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function stopper(child: ChildProcess): () => Promise<number | null> {
  return () => {
    const exited = waitForExit(child, STOP_TIMEOUT_MS);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
}

function failOnEarlyExit(child: ChildProcess, what: string, stderr: () => string, reject: (e: Error) => void): void {
  child.once('exit', (code, signal) => reject(new Error(`${what} exited before it was ready (code ${code}, signal ${signal}): ${stderr().slice(-2000)}`)));
}

function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (c: Buffer) => {
    text += c.toString('utf8');
  });
  return () => text;
}

function withTimeout<T>(promise: Promise<T>, what: string, child: ChildProcess): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not become ready within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts the simulated upstream (default fleet without injected errors) in a child process. */
export async function startSimProcess(timeScale: number): Promise<ServerProcess> {
  const child = fork(RUN_TS, [SIM_CHILD], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_SIM_TIME_SCALE: String(timeScale) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const stderr = collectStderr(child);
  const ready = new Promise<SimChildReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as SimChildReady));
    failOnEarlyExit(child, 'simulated upstream', stderr, reject);
  });
  const { url } = await withTimeout(ready, 'simulated upstream', child);
  child.removeAllListeners('exit');
  return { url, pid: child.pid ?? -1, stop: stopper(child) };
}

export interface GatewayProcessOptions {
  /** Working directory: the store goes to `<cwd>/data/` (the default config). */
  cwd: string;
  configPath: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
}

/** The URL from the gateway's pino line `aigw gateway listening`. */
export function listeningUrlFromLogLine(line: string): string | undefined {
  if (!line.includes('aigw gateway listening')) return undefined;
  try {
    const parsed = JSON.parse(line) as { url?: unknown };
    return typeof parsed.url === 'string' ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}

/** Starts `aigw serve --port 0` in a child process, the way a user runs the gateway. */
export async function startGatewayProcess(opts: GatewayProcessOptions): Promise<ServerProcess> {
  // The store and the budget ledger must be the embedded defaults, whatever the caller's shell has.
  const env: NodeJS.ProcessEnv = { ...process.env, AIGW_LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [...(opts.nodeFlags ?? []), AIGW_BIN, '--config', opts.configPath, 'serve', '--port', '0'], {
    cwd: opts.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = collectStderr(child);
  const ready = new Promise<string>((resolve, reject) => {
    let pending = '';
    child.stdout?.on('data', (c: Buffer) => {
      pending += c.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const url = listeningUrlFromLogLine(line);
        if (url) resolve(url);
      }
    });
    failOnEarlyExit(child, 'gateway', stderr, reject);
  });
  const url = await withTimeout(ready, 'gateway', child);
  child.removeAllListeners('exit');
  return { url, pid: child.pid ?? -1, stop: stopper(child) };
}
