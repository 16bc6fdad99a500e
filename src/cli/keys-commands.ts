import type { Command } from 'commander';
import { createApiKey, NewKeyOptions } from '../auth/manage-keys.ts';
import { announceKeyChange, openConfiguredStore } from './open-configured-store.ts';
import { printTable } from './print-table.ts';
import { UsageError } from './usage-error.ts';
import { keySpendFields } from '../analytics/key-spend.ts';
import { analyticsDbOf } from '../mcp/store-context.ts';
import type { Store } from '../store/types.ts';

const FLAG_OF: Record<string, string> = {
  name: '--name',
  team: '--team',
  budget_daily_usd: '--daily-usd',
  budget_monthly_usd: '--monthly-usd',
  rpm_limit: '--rpm',
};

/**
 * The flags as the HTTP API's body, validated by the same schema. Numbers are parsed whole
 * (`Number`, not parseFloat): `12abc` is a mistake, not 12.
 */
export function parseNewKeyFlags(opts: { name: string; team?: string; dailyUsd?: string; monthlyUsd?: string; rpm?: string }): NewKeyOptions {
  const number = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? Number.NaN : Number(v));
  const parsed = NewKeyOptions.safeParse({
    name: opts.name,
    team: opts.team,
    budget_daily_usd: number(opts.dailyUsd),
    budget_monthly_usd: number(opts.monthlyUsd),
    rpm_limit: number(opts.rpm),
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const given = { name: opts.name, team: opts.team, budget_daily_usd: opts.dailyUsd, budget_monthly_usd: opts.monthlyUsd, rpm_limit: opts.rpm }[field];
  const expected = field === 'rpm_limit' ? 'a whole number above 0' : field.startsWith('budget') ? 'a finite number of USD above 0' : 'a non-empty value';
  throw new UsageError(`${FLAG_OF[field] ?? field}: got '${given ?? ''}', expected ${expected}`);
}

/** `$1.23` with enough digits for sub-cent spend. */
function usd(v: number): string {
  return v === 0 ? '$0' : v >= 1 ? `$${v.toFixed(2)}` : `$${v.toPrecision(3)}`;
}

/** Spent against a budget: `$0.0123 / $5 (0.2%)`, or just the spend without a budget. */
function spentOf(spentUsd: number, budgetUsd: number | null): string {
  if (budgetUsd === null) return usd(spentUsd);
  return `${usd(spentUsd)} / ${usd(budgetUsd)} (${((spentUsd / budgetUsd) * 100).toFixed(1)}%)`;
}

/** The `aigw keys list` table: each key with its spend in the current UTC day and month (what the budgets cap). */
export async function keyListTable(store: Store, nowMs: number): Promise<{ headers: string[]; rows: string[][] }> {
  const keys = await store.listApiKeys();
  const spend = await keySpendFields(analyticsDbOf(store), keys, nowMs);
  return {
    headers: ['id', 'name', 'prefix', 'team', 'spent today / daily budget', 'spent this month / monthly budget', 'rpm', 'status'],
    rows: keys.map((k) => {
      const s = spend.get(k.id);
      return [
        k.id,
        k.name,
        k.key_prefix,
        k.team ?? '',
        spentOf(s?.spent_today_usd ?? 0, k.budget_daily_usd),
        spentOf(s?.spent_month_usd ?? 0, k.budget_monthly_usd),
        k.rpm_limit?.toString() ?? '',
        k.revoked_at ? `revoked ${new Date(k.revoked_at).toISOString()}` : 'active',
      ];
    }),
  };
}

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('manage gateway API keys (stored as SHA-256 hashes only)');
  const configPath = () => program.opts<{ config?: string }>().config;

  keys
    .command('create')
    .description('create a key and print it once')
    .requiredOption('-n, --name <name>', 'who or what uses the key')
    .option('--team <team>', 'team, for rules and cost reports')
    .option('--daily-usd <usd>', 'budget per UTC day in USD')
    .option('--monthly-usd <usd>', 'budget per UTC month in USD')
    .option('--rpm <n>', 'requests per minute')
    .action(async (opts: { name: string; team?: string; dailyUsd?: string; monthlyUsd?: string; rpm?: string }) => {
      const newKey = parseNewKeyFlags(opts);
      const store = await openConfiguredStore(process.cwd(), configPath());
      try {
        const { key, row } = await createApiKey(store, newKey);
        await announceKeyChange(process.cwd(), configPath());
        console.log(`Created key ${row.id} (${row.name}). Store it now; it is not shown again:\n\n  ${key}\n`);
      } finally {
        await store.close();
      }
    });

  keys
    .command('list')
    .description('list keys')
    .action(async () => {
      const store = await openConfiguredStore(process.cwd(), configPath());
      try {
        const { headers, rows } = await keyListTable(store, Date.now());
        printTable(headers, rows);
      } finally {
        await store.close();
      }
    });

  keys
    .command('revoke <idOrPrefix>')
    .description('revoke a key by id or prefix')
    .action(async (idOrPrefix: string) => {
      const store = await openConfiguredStore(process.cwd(), configPath());
      try {
        const ok = await store.revokeApiKey(idOrPrefix, Date.now());
        if (!ok) {
          console.error(`No active key '${idOrPrefix}'.`);
          process.exitCode = 1;
        } else {
          const announced = await announceKeyChange(process.cwd(), configPath());
          console.log(
            announced
              ? `Revoked ${idOrPrefix}. Running gateways were told through Redis and refuse it now.`
              : `Revoked ${idOrPrefix}. Running gateways refuse it within their key cache TTL (resilience.key_cache_ttl_ms, default 10 s).`,
          );
        }
      } finally {
        await store.close();
      }
    });
}
