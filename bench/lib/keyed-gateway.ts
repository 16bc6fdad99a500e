/**
 * The production-shaped aigw for the overhead benchmark: its own process and store, Redis for budgets
 * and rate limits (a prefix of its own, so a shared Redis keeps other data apart), and one API key
 * with a daily and a monthly budget and a requests-per-minute limit, all far above what the run
 * spends, so every request pays for the checks and none is refused.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startGatewayProcess, type ServerProcess } from './child-processes.ts';

const AIGW_BIN = fileURLToPath(new URL('../../bin/aigw.mjs', import.meta.url));
export const KEY_LIMITS = { dailyUsd: 100_000, monthlyUsd: 1_000_000, rpm: 100_000_000 };

export interface KeyedGateway extends ServerProcess {
  /** The headers of every request: the API key. */
  headers: Record<string, string>;
  storeDir: string;
  /** How it is set up, for the method text. */
  description: string;
}

/** The key printed by `aigw keys create`. */
export function keyFromCreateOutput(text: string): string {
  const match = /\baigw_[A-Za-z0-9_-]{16,}/.exec(text);
  if (!match) throw new Error(`no key in the output of aigw keys create: ${text.slice(0, 300)}`);
  return match[0];
}

/** Fails loudly, before anything is measured, when Redis does not accept connections. */
async function assertReachable(redisUrl: string): Promise<void> {
  const url = new URL(redisUrl);
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    socket.setTimeout(2_000, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('error', (err) => reject(new Error(`Redis at ${redisUrl} is not reachable (${err.message}); pass --redis URL or --no-keyed`)));
  });
}

export async function startKeyedGateway(opts: { workDir: string; catalog: object; redisUrl: string; nodeFlags?: string[] }): Promise<KeyedGateway> {
  await assertReachable(opts.redisUrl);
  const cwd = join(opts.workDir, 'keyed');
  mkdirSync(cwd, { recursive: true });
  const configPath = join(cwd, 'aigw.yaml');
  writeFileSync(configPath, stringify({ ...opts.catalog, redis_url: opts.redisUrl }));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const created = execFileSync(
    process.execPath,
    [
      AIGW_BIN,
      '--config',
      configPath,
      'keys',
      'create',
      '--name',
      'bench',
      '--daily-usd',
      String(KEY_LIMITS.dailyUsd),
      '--monthly-usd',
      String(KEY_LIMITS.monthlyUsd),
      '--rpm',
      String(KEY_LIMITS.rpm),
    ],
    { cwd, env, encoding: 'utf8' },
  );
  const key = keyFromCreateOutput(created);
  const prefix = `aigw-bench-${randomBytes(4).toString('hex')}:`;
  const gateway = await startGatewayProcess({ cwd, configPath, nodeFlags: opts.nodeFlags, env: { AIGW_REDIS_PREFIX: prefix } });
  return {
    ...gateway,
    headers: { authorization: `Bearer ${key}` },
    storeDir: join(cwd, 'data'),
    description: `a second aigw process with the same fleet, its own SQLite store, \`redis_url\` ${opts.redisUrl} (key prefix \`${prefix}\`) for budgets and rate limits, and one API key (\`aigw keys create --daily-usd ${KEY_LIMITS.dailyUsd} --monthly-usd ${KEY_LIMITS.monthlyUsd} --rpm ${KEY_LIMITS.rpm}\`) sent with every request: each request is authenticated, rate-limited in Redis, reserves its worst-case cost against both budgets in Redis before the upstream call, settles it after, and logs one reservation row (at settle) besides the request row; named model.`,
  };
}
