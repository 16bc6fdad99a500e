import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { KyselyStore } from '../store/kysely-store.ts';
import { isPostgresUrl, openStore, type OpenStoreOptions } from '../store/open-store.ts';
import { oneLine, type ComponentHealth } from '../util/component-health.ts';

/** Errors that mean "PostgreSQL is not there (yet)", as opposed to a wrong URL or a failed migration. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P03', '57P01']);
const START_RETRY_MAX_MS = 5_000;

function isUnreachable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isUnreachable);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const cause = (err as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== err && isUnreachable(cause)) return true;
  return err instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(err.message);
}

/**
 * Opens the store; while PostgreSQL is unreachable at start, waits for it (logging once), so a
 * replica restarted during an outage comes up when the database does and then replays its spool.
 */
export async function openStoreWhenReachable(opts: OpenStoreOptions, logger: Logger): Promise<KyselyStore> {
  let delayMs = 200;
  let warned = false;
  for (;;) {
    try {
      const store = await openStore(opts);
      if (warned) logger.info('store reachable: starting');
      return store;
    } catch (err) {
      if (!isPostgresUrl(opts.databaseUrl?.trim() ?? '') || !isUnreachable(err)) throw err;
      if (!warned) logger.warn({ error: oneLine(err) }, 'PostgreSQL unreachable at start; waiting for it');
      warned = true;
      await new Promise((r) => setTimeout(r, delayMs));
      delayMs = Math.min(START_RETRY_MAX_MS, delayMs * 2);
    }
  }
}

const REDIS_READY_WAIT_MS = 2_000;

/**
 * A Redis client that fails fast while disconnected (no offline queue, a command timeout) so the
 * budget and rate-limit fallbacks take over at once, and reports its state to `health` (one log
 * line per change instead of ioredis' unhandled error events).
 */
export async function connectRedis(url: string, commandTimeoutMs: number, health: ComponentHealth): Promise<Redis> {
  health.track('redis');
  // Loaded only when Redis is configured.
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
    // Commands issued in the same event-loop turn (rate limits, reservations, settlements of
    // concurrent requests) leave in one write instead of one each.
    enableAutoPipelining: true,
  });
  redis.on('error', (err: unknown) => health.reportDown('redis', err));
  redis.on('end', () => health.reportDown('redis', new Error('connection closed')));
  redis.on('ready', () => health.reportOk('redis'));
  const ready = new Promise<void>((resolve) => {
    redis.once('ready', () => resolve());
    setTimeout(resolve, REDIS_READY_WAIT_MS).unref();
  });
  await ready;
  if (redis.status !== 'ready') health.reportDown('redis', new Error(`not connected after ${REDIS_READY_WAIT_MS} ms`));
  return redis;
}
