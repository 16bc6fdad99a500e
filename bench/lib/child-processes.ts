/**
 * The benchmark's server processes: the simulated upstream (bench/lib/sim-child.ts), the gateway
 * (`aigw serve`, exactly as users start it), the Portkey gateway it is compared with (its npm
 * package's own `start-server.js`) and the floor (bench/lib/bare-proxy.mjs, a bare Node proxy). Each runs in its own process so that none shares an event loop
 * with another or with the load generator.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { PortkeyInfo } from './overhead-results.ts';
import type { SimChildReady } from './sim-child.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.mjs', import.meta.url));
const AIGW_BIN = fileURLToPath(new URL('../../bin/aigw.mjs', import.meta.url));
const SIM_CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));
const BARE_PROXY = fileURLToPath(new URL('./bare-proxy.mjs', import.meta.url));
const PORTKEY_PACKAGE = '@portkey-ai/gateway';
const PORTKEY_DIR = fileURLToPath(new URL(`../../node_modules/${PORTKEY_PACKAGE}/`, import.meta.url));
const PORTKEY_BIN = `${PORTKEY_DIR}build/start-server.js`;
const READY_POLL_MS = 50;
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

/** Forks a server module that sends `{ url }` over IPC once listening, and waits for that message. */
async function forkServer(what: string, modulePath: string, args: string[], opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv }): Promise<ServerProcess> {
  const child = fork(modulePath, args, { cwd: REPO_ROOT, env: opts.env ?? process.env, execArgv: opts.execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const stderr = collectStderr(child);
  const ready = new Promise<SimChildReady>((resolve, reject) => {
    child.once('message', (m) => resolve(m as SimChildReady));
    failOnEarlyExit(child, what, stderr, reject);
  });
  const { url } = await withTimeout(ready, what, child);
  child.removeAllListeners('exit');
  return { url, pid: child.pid ?? -1, stop: stopper(child) };
}

/** Starts the simulated upstream (default fleet without injected errors) in a child process. */
export function startSimProcess(timeScale: number): Promise<ServerProcess> {
  return forkServer('simulated upstream', RUN_TS, [SIM_CHILD], { env: { ...process.env, BENCH_SIM_TIME_SCALE: String(timeScale) } });
}

/**
 * Starts the floor (bench/lib/bare-proxy.mjs, plain node, no tsx) in front of `upstreamUrl`, with
 * these node flags (the bench gives it the gateway's, so the two run alike).
 */
export function startBareProxyProcess(opts: { upstreamUrl: string; nodeFlags: string[] }): Promise<ServerProcess> {
  return forkServer('bare proxy', BARE_PROXY, [opts.upstreamUrl], { execArgv: opts.nodeFlags });
}

export interface GatewayProcessOptions {
  /** Working directory: the store goes to `<cwd>/data/` (the default config). */
  cwd: string;
  configPath: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Extra environment (e.g. `AIGW_REDIS_PREFIX`), applied after DATABASE_URL and REDIS_URL are removed. */
  env?: Record<string, string>;
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

/**
 * The node flags `npm start` gives the gateway (package.json's start script, `node <flags> bin/aigw.mjs
 * serve`): the benches start it with the same ones, so they measure what users run.
 */
export function startScriptNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  const bin = words.findIndex((w) => w.endsWith('aigw.mjs'));
  return words[0] === 'node' && bin > 0 ? words.slice(1, bin).filter((w) => w.startsWith('--')) : [];
}

/** Starts `aigw serve --port 0` in a child process, the way a user runs the gateway (`npm start`'s node flags first). */
export async function startGatewayProcess(opts: GatewayProcessOptions): Promise<ServerProcess> {
  // The store and the budget ledger must be the embedded defaults, whatever the caller's shell has.
  const env: NodeJS.ProcessEnv = { ...process.env, AIGW_LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  Object.assign(env, opts.env);
  const child = spawn(process.execPath, [...startScriptNodeFlags(), ...(opts.nodeFlags ?? []), AIGW_BIN, '--config', opts.configPath, 'serve', '--port', '0'], {
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

/**
 * The headers that make the Portkey gateway proxy an OpenAI-format request to `upstreamUrl`: its
 * `openai` provider with a custom host (the upstream's `/v1`), header names as its server reads them.
 */
export function portkeyHeaders(upstreamUrl: string): Record<string, string> {
  return { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl.replace(/\/+$/, '')}/v1` };
}

/** Portkey's CLI takes only `--port=N` (no port 0, no host): a port the kernel just handed out and freed. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port from the kernel');
  return address.port;
}

/** Resolves once `url` answers 200 (polling), or rejects if the child exits first. */
function waitForHttp200(url: string, child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    failOnEarlyExit(child, what, stderr, (e) => {
      done = true;
      reject(e);
    });
    const poll = async (): Promise<void> => {
      while (!done) {
        try {
          const res = await fetch(url);
          await res.arrayBuffer();
          if (res.status === 200) {
            done = true;
            resolve();
            return;
          }
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, READY_POLL_MS));
      }
    };
    void poll();
  });
}

export interface PortkeyProcess extends ServerProcess {
  info: PortkeyInfo;
}

/**
 * Starts the Portkey gateway from its installed npm package, `--headless` (no log console UI), on a
 * free port, and waits until `GET /` answers. `info.headers` send a request through it to `upstreamUrl`.
 */
export async function startPortkeyProcess(opts: { cwd: string; upstreamUrl: string }): Promise<PortkeyProcess> {
  const { version } = JSON.parse(readFileSync(`${PORTKEY_DIR}package.json`, 'utf8')) as { version: string };
  const port = await freeLoopbackPort();
  const args = [`--port=${port}`, '--headless'];
  // Its default trusted custom hosts include 127.0.0.1, where the simulator listens; a caller's own list must not narrow them.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TRUSTED_CUSTOM_HOSTS;
  const child = spawn(process.execPath, [PORTKEY_BIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const stderr = collectStderr(child);
  const url = `http://127.0.0.1:${port}`;
  await withTimeout(waitForHttp200(`${url}/`, child, 'Portkey gateway', stderr), 'Portkey gateway', child);
  child.removeAllListeners('exit');
  return {
    url,
    pid: child.pid ?? -1,
    stop: stopper(child),
    info: {
      package: PORTKEY_PACKAGE,
      version,
      command: ['node', `node_modules/${PORTKEY_PACKAGE}/build/start-server.js`, ...args].join(' '),
      headers: portkeyHeaders(opts.upstreamUrl),
    },
  };
}
