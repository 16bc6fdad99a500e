import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface CacheSavings {
  hits: number;
  /** SUM(cache_saved_usd): what the answers served from the cache cost when first bought upstream. */
  savedUsd: number;
  /** Tokens served from the cache (prompt and completion of the cached answers), never billed again. */
  inputTokens: number;
  outputTokens: number;
}

export interface SavingsWindow {
  fromMs: number;
  toMs: number;
  keyId?: string;
  team?: string;
}

function toNumber(v: number | string | null | undefined): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/**
 * Cache savings over [fromMs, toMs): hit rows carry what they saved on the request log itself, so
 * this is one SUM over `requests`, no extra table. Hit rows have `cost_usd` 0, so spend sums stay right.
 */
export async function sumCacheSavings(db: Kysely<Database>, window: SavingsWindow): Promise<CacheSavings> {
  let q = db
    .selectFrom('requests')
    .select((eb) => [
      eb.fn.countAll<number | string>().as('hits'),
      eb.fn.sum<number | string | null>('cache_saved_usd').as('saved'),
      eb.fn.sum<number | string | null>('input_tokens').as('input'),
      eb.fn.sum<number | string | null>('output_tokens').as('output'),
    ])
    .where('cache_hit', '=', 1)
    .where('created_at', '>=', window.fromMs)
    .where('created_at', '<', window.toMs);
  if (window.keyId !== undefined) q = q.where('key_id', '=', window.keyId);
  if (window.team !== undefined) q = q.where('team', '=', window.team);
  const row = await q.executeTakeFirst();
  return {
    hits: toNumber(row?.hits),
    savedUsd: toNumber(row?.saved),
    inputTokens: toNumber(row?.input),
    outputTokens: toNumber(row?.output),
  };
}
