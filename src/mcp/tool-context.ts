import type { Kysely } from 'kysely';
import { AnalysisParamsError, resolveAnalysisQuery, type AnalysisParams, type AnalysisQuery } from '../analytics/analysis-query.ts';
import type { GatewayConfig } from '../config/schema.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/types.ts';

/** What a tool needs from its host: the analytics database (opened lazily), the gateway config and a clock. */
export interface ToolContext {
  /** Rejects with StoreUnavailableError when the store cannot be opened or queried. */
  db(): Promise<Kysely<Database>>;
  /** The routing config the history is replayed against (the catalog, prices and rules in force). */
  config(): GatewayConfig;
  nowMs(): number;
  /** Where recommendation tools keep what they propose, so their ids work with `aigw rules apply` and later calls. */
  recommendationStore?(): Promise<Pick<Store, 'insertRecommendations' | 'getRecommendation'>>;
}

/** The store could not be reached; the tool says so instead of failing the whole MCP session. */
export class StoreUnavailableError extends Error {}

/** Raised by a tool when the window holds too few requests for its answer to mean anything. */
export class InsufficientDataError extends Error {}

/** Tool arguments that share AnalysisParams: `models: ["all"]` means no model filter (the seed's `models="all"`). */
export function analysisParamsOf(args: {
  timeframe?: AnalysisParams['timeframe'];
  from?: string;
  to?: string;
  task_types?: string[];
  keys?: string[];
  models?: string[];
}): AnalysisParams {
  const models = args.models?.some((m) => m.toLowerCase() === 'all') ? undefined : args.models;
  return {
    ...(args.timeframe !== undefined ? { timeframe: args.timeframe } : {}),
    ...(args.from !== undefined ? { from: args.from } : {}),
    ...(args.to !== undefined ? { to: args.to } : {}),
    ...(args.task_types?.length ? { task_types: args.task_types } : {}),
    ...(args.keys?.length ? { keys: args.keys } : {}),
    ...(models?.length ? { models } : {}),
  };
}

export function resolveQuery(ctx: ToolContext, params: AnalysisParams): AnalysisQuery {
  try {
    return resolveAnalysisQuery(params, ctx.nowMs());
  } catch (err) {
    if (err instanceof AnalysisParamsError) throw new ToolArgumentError(err.message);
    throw err;
  }
}

export class ToolArgumentError extends Error {}

/**
 * Runs a query against the store, turning connection failures (not SQL or logic errors) into
 * StoreUnavailableError so the agent reads "store unreachable" rather than a driver stack.
 */
export async function withStore<T>(ctx: ToolContext, run: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const db = await ctx.db();
  try {
    return await run(db);
  } catch (err) {
    if (isConnectionError(err)) throw new StoreUnavailableError(`the analytics store is unreachable: ${messageOf(err)}`);
    throw err;
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P03',
  '08001',
  '08006',
  'SQLITE_CANTOPEN',
]);

function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as Error & { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isConnectionError);
  return /driver has already been destroyed|Connection terminated|database connection is not open|read pool is closed/i.test(err.message);
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
