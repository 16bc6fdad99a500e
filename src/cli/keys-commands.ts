import type { Command } from 'commander';
import { createApiKey } from '../auth/manage-keys.ts';
import { openConfiguredStore } from './open-configured-store.ts';
import { printTable } from './print-table.ts';

const num = (v: string) => Number.parseFloat(v);

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('manage gateway API keys (stored as SHA-256 hashes only)');
  const configPath = () => program.opts<{ config?: string }>().config;

  keys
    .command('create')
    .description('create a key and print it once')
    .requiredOption('-n, --name <name>', 'who or what uses the key')
    .option('--team <team>', 'team, for rules and cost reports')
    .option('--daily-usd <usd>', 'budget per UTC day in USD', num)
    .option('--monthly-usd <usd>', 'budget per UTC month in USD', num)
    .option('--rpm <n>', 'requests per minute', (v) => Number.parseInt(v, 10))
    .action(async (opts: { name: string; team?: string; dailyUsd?: number; monthlyUsd?: number; rpm?: number }) => {
      const store = await openConfiguredStore(process.cwd(), configPath());
      try {
        const { key, row } = await createApiKey(store, {
          name: opts.name,
          team: opts.team,
          budget_daily_usd: opts.dailyUsd,
          budget_monthly_usd: opts.monthlyUsd,
          rpm_limit: opts.rpm,
        });
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
        const rows = await store.listApiKeys();
        printTable(
          ['id', 'name', 'prefix', 'team', 'daily $', 'monthly $', 'rpm', 'status'],
          rows.map((k) => [
            k.id,
            k.name,
            k.key_prefix,
            k.team ?? '',
            k.budget_daily_usd?.toString() ?? '',
            k.budget_monthly_usd?.toString() ?? '',
            k.rpm_limit?.toString() ?? '',
            k.revoked_at ? `revoked ${new Date(k.revoked_at).toISOString()}` : 'active',
          ]),
        );
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
          console.log(`Revoked ${idOrPrefix}. Running gateways stop accepting it within a few seconds.`);
        }
      } finally {
        await store.close();
      }
    });
}
