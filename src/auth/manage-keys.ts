import { randomUUID } from 'node:crypto';
import { generateApiKey } from './api-keys.ts';
import type { ApiKeyRow, Store } from '../store/types.ts';

export interface NewKeyOptions {
  name: string;
  team?: string;
  budget_daily_usd?: number;
  budget_monthly_usd?: number;
  rpm_limit?: number;
}

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
