/**
 * Fills a fresh embedded store with a generated history: the schema comes from the store's own
 * migrations (openStore), the rows go in through one better-sqlite3 connection in large
 * transactions with cached multi-row INSERTs built from the store's table specs — the same columns
 * and encoding the batch writer uses, minus its per-flush overhead.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { parseConfig } from '../../src/config/load-config.ts';
import type { GatewayConfig } from '../../src/config/schema.ts';
import { withSimulatedFleet } from '../../src/gateway/resolve-config.ts';
import { DECISIONS_SPEC, REQUESTS_SPEC, flattenDecisionRows, flattenRequestRows, type LogTableSpec } from '../../src/store/log-tables.ts';
import { multiRowInsertSql } from '../../src/store/multi-row-insert.ts';
import { openStore, SQLITE_FILE_NAME } from '../../src/store/open-store.ts';
import type { FeedbackRow } from '../../src/store/types.ts';
import { benchmarkApiKeys, CLASSIFICATION_AB_RULE, CODING_RULE, createHistoryGenerator, type HistorySpec, type HourOfHistory } from './analytics-history.ts';
import { catalogModels } from './analytics-routing.ts';

/** Rows per multi-row INSERT: about 2k bound values, where better-sqlite3's per-statement cost is amortised. */
const ROWS_PER_STATEMENT = 64;
/** Hours of history per transaction. */
const HOURS_PER_TRANSACTION = 24;

export interface FillStats {
  requests: number;
  decisions: number;
  feedback: number;
  fillMs: number;
  dbBytes: number;
}

/** What `aigw report` runs with in a directory without a config file: built-in defaults plus the simulated fleet, and two routing rules. */
export function benchmarkConfig(): GatewayConfig {
  const fleet = withSimulatedFleet(parseConfig({}, 'built-in defaults'), 'http://127.0.0.1:4100', {});
  const rules = [
    { name: CODING_RULE, match: { task_types: ['coding'], complexity: { max: 0.5 } }, action: { prefer: ['sim-small-code'] } },
    { name: CLASSIFICATION_AB_RULE, match: { task_types: ['classification'] }, action: { prefer: ['sim-nano'] }, percent: 50 },
  ];
  return parseConfig({ ...fleet, routing: { ...fleet.routing, rules } }, 'analytics benchmark');
}

class FlatInserter {
  private readonly full: BetterSqlite3.Statement;
  private readonly width: number;

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly spec: LogTableSpec,
  ) {
    this.width = spec.columns.length;
    this.full = db.prepare(multiRowInsertSql(spec, ROWS_PER_STATEMENT, 'sqlite'));
  }

  insert(values: readonly unknown[]): void {
    const rows = values.length / this.width;
    let row = 0;
    for (; row + ROWS_PER_STATEMENT <= rows; row += ROWS_PER_STATEMENT) {
      this.full.run(values.slice(row * this.width, (row + ROWS_PER_STATEMENT) * this.width));
    }
    if (row < rows) this.db.prepare(multiRowInsertSql(this.spec, rows - row, 'sqlite')).run(values.slice(row * this.width));
  }
}

function feedbackInserter(db: BetterSqlite3.Database): (rows: readonly FeedbackRow[]) => void {
  const insert = db.prepare(
    'insert into feedback (id, request_id, source, score, comment, created_at) values (?, ?, ?, ?, ?, ?) on conflict (request_id, source) do nothing',
  );
  return (rows) => {
    for (const f of rows) insert.run(f.id, f.request_id, f.source, f.score, f.comment, f.created_at);
  };
}

/**
 * Creates the store in `dir` (migrations and API keys through the store itself), then writes the
 * generated history. `onHour` sees the running request count, for a progress bar.
 */
export async function fillAnalyticsStore(dir: string, spec: HistorySpec, config: GatewayConfig, onProgress: (requests: number) => void): Promise<FillStats> {
  const startedMs = performance.now();
  const store = await openStore({ dir });
  for (const key of benchmarkApiKeys(spec.endMs - spec.days * 86_400_000 - 86_400_000)) await store.createApiKey(key);
  await store.close();

  const file = join(dir, SQLITE_FILE_NAME);
  const db = new BetterSqlite3(file);
  // A throwaway file being filled once: no fsync, a large page cache for the index B-trees.
  for (const pragma of ['journal_mode = WAL', 'synchronous = OFF', 'cache_size = -1048576', 'temp_store = MEMORY']) db.pragma(pragma);
  const requests = new FlatInserter(db, REQUESTS_SPEC);
  const decisions = new FlatInserter(db, DECISIONS_SPEC);
  const feedback = feedbackInserter(db);
  const writeHours = db.transaction((hours: readonly HourOfHistory[]) => {
    for (const h of hours) {
      requests.insert(flattenRequestRows(h.requests));
      decisions.insert(flattenDecisionRows(h.decisions));
      feedback(h.feedback);
    }
  });
  const stats: FillStats = { requests: 0, decisions: 0, feedback: 0, fillMs: 0, dbBytes: 0 };
  let pending: HourOfHistory[] = [];
  const flush = () => {
    writeHours(pending);
    for (const h of pending) {
      stats.requests += h.requests.length;
      stats.decisions += h.decisions.length;
      stats.feedback += h.feedback.length;
    }
    pending = [];
    onProgress(stats.requests);
  };
  for (const hour of createHistoryGenerator(spec, catalogModels(config)).hours()) {
    pending.push(hour);
    if (pending.length >= HOURS_PER_TRANSACTION) flush();
  }
  if (pending.length > 0) flush();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  stats.fillMs = performance.now() - startedMs;
  stats.dbBytes = statSync(file).size;
  return stats;
}
