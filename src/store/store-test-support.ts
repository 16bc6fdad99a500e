// Shared by store.test.ts and batch-writer.test.ts: both suites run against every backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { KyselyStore } from './kysely-store.ts';
import { openStore } from './open-store.ts';
import { emptyRequestRow, type ApiKeyRow, type BudgetReservationRow, type DecisionRow, type RequestRow } from './types.ts';

export const TEST_POSTGRES_URL = process.env['AIGW_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface OpenedTestStore {
  store: KyselyStore;
  /** Where the store lives, to reopen it (same dir / schema). */
  reopen(): Promise<KyselyStore>;
  /** Closes the store and removes its files or schema. */
  cleanup(): Promise<void>;
}

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  open(): Promise<OpenedTestStore>;
}

async function openSqliteTestStore(): Promise<OpenedTestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'aigw-store-'));
  const store = await openStore({ dir });
  return {
    store,
    reopen: () => openStore({ dir }),
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTestStore(): Promise<OpenedTestStore> {
  const schema = `aigw_test_${process.pid}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const opts = { databaseUrl: TEST_POSTGRES_URL, dir: tmpdir(), schema };
  const store = await openStore(opts);
  return {
    store,
    reopen: () => openStore(opts),
    async cleanup() {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(store.db);
      await store.close();
    },
  };
}

export const TEST_BACKENDS: TestBackend[] = [
  { name: 'sqlite', open: openSqliteTestStore },
  { name: 'postgres', open: openPostgresTestStore },
];

let sequence = 0;

export function makeRequestRow(overrides: Partial<RequestRow> = {}): RequestRow {
  sequence += 1;
  return {
    ...emptyRequestRow(`req_${sequence}_${randomUUID()}`, 1_767_225_600_000 + sequence),
    key_id: 'key_a',
    team: 'search',
    model_requested: 'auto',
    model_used: 'gpt-4o-mini',
    provider: 'openai',
    status: 200,
    latency_ms: 812.5,
    upstream_latency_ms: 790.25,
    overhead_ms: 1.75,
    attempts: 1,
    input_tokens: 1200,
    output_tokens: 300,
    cost_usd: 0.000123456789,
    finish_reason: 'stop',
    task_type: 'qa',
    ...overrides,
  };
}

export function makeDecisionRow(requestId: string, overrides: Partial<DecisionRow> = {}): DecisionRow {
  sequence += 1;
  return {
    id: `dec_${sequence}_${randomUUID()}`,
    request_id: requestId,
    created_at: 1_767_225_600_000 + sequence,
    routing_model: 'auto',
    task_type: 'qa',
    complexity: 0.375,
    goal: 'balanced',
    chosen_model: 'gpt-4o-mini',
    candidates: JSON.stringify([
      { model: 'gpt-4o-mini', predictedQuality: 0.82, estCostUsd: 0.00021, estLatencyMs: 700, score: 0.91, eligible: true },
      { model: 'gpt-4o', predictedQuality: 0.9, estCostUsd: 0.0035, estLatencyMs: 900, score: 0.7, eligible: false, reason: 'over cost cap' },
    ]),
    rules: JSON.stringify(['prefer-cheap-for-qa']),
    fallbacks: JSON.stringify(['gpt-4o']),
    rationale: 'qa at low complexity: the small model is predicted within 0.1 of the best at 6% of the cost',
    router_version: 'builtin-1',
    decision_us: 84.5,
    trust: 0.62,
    language: 'en',
    explored: false,
    ...overrides,
  };
}

export function makeReservation(overrides: Partial<BudgetReservationRow> = {}): BudgetReservationRow {
  sequence += 1;
  return {
    id: `res_${sequence}_${randomUUID()}`,
    key_id: 'key_a',
    request_id: `req_${sequence}`,
    created_at: 1_767_225_600_000 + sequence,
    reserved_usd: 0.01,
    settled_usd: null,
    status: 'reserved',
    ...overrides,
  };
}

export function makeApiKey(overrides: Partial<ApiKeyRow> = {}): ApiKeyRow {
  sequence += 1;
  return {
    id: `key_${sequence}_${randomUUID().slice(0, 8)}`,
    name: `key ${sequence}`,
    key_hash: randomUUID().replaceAll('-', '').padEnd(64, '0'),
    key_prefix: `sk-aigw-${sequence}`,
    team: null,
    created_at: 1_767_225_600_000 + sequence,
    revoked_at: null,
    budget_daily_usd: null,
    budget_monthly_usd: null,
    rpm_limit: null,
    ...overrides,
  };
}
