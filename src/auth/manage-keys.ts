import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { generateApiKey } from './api-keys.ts';
import type { ApiKeyRow, Store } from '../store/types.ts';

/**
 * What a new key may carry: the one validation of `POST /admin/keys` and `aigw keys create`.
 * zod 4 numbers refuse NaN and ±Infinity, so `abc` and `1e400` fail here like `-1` does.
 */
export const NewKeyOptions = z.strictObject({
  name: z.string().min(1),
  team: z.string().min(1).optional(),
  budget_daily_usd: z.number().positive().optional(),
  budget_monthly_usd: z.number().positive().optional(),
  rpm_limit: z.int().positive().optional(),
});
export type NewKeyOptions = z.infer<typeof NewKeyOptions>;

/** Creates a gateway API key; the full key is returned once and only its SHA-256 is stored. */
export async function createApiKey(store: Store, opts: NewKeyOptions): Promise<{ key: string; row: ApiKeyRow }> {
  const generated = generateApiKey();
  const row: ApiKeyRow = {
    id: randomUUID(),
    name: opts.name,
    key_hash: generated.hash,
    key_prefix: generated.prefix,
    team: opts.team ?? null,
    created_at: Date.now(),
    revoked_at: null,
    budget_daily_usd: opts.budget_daily_usd ?? null,
    budget_monthly_usd: opts.budget_monthly_usd ?? null,
    rpm_limit: opts.rpm_limit ?? null,
  };
  await store.createApiKey(row);
  return { key: generated.key, row };
}
