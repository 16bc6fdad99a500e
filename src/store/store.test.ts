import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KyselyStore } from './kysely-store.ts';
import { staticMigrationProvider } from './migrations/index.ts';
import { openStore } from './open-store.ts';
import { makeApiKey, makeDecisionRow, makeRequestRow, makeReservation, TEST_BACKENDS, type OpenedTestStore } from './store-test-support.ts';
import type { DecisionRow, RequestRow } from './types.ts';

describe.each(TEST_BACKENDS)('store on $name', (backend) => {
  let opened: OpenedTestStore;
  let store: KyselyStore;

  beforeEach(async () => {
    opened = await backend.open();
    store = opened.store;
  });

  afterEach(async () => {
    await opened.cleanup();
  });

  it('reports its dialect', () => {
    expect(store.dialect).toBe(backend.name);
  });

  it('migrates twice without changing anything, and keeps data across a reopen', async () => {
    const row = makeRequestRow();
    await store.insertRequests([row]);
    await store.migrate();
    await store.migrate();
    const reopened = await opened.reopen();
    try {
      expect(await reopened.getRequest(row.id)).toStrictEqual(row);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(reopened.db);
      // Every listed migration, once each (the list grows as helpers add theirs: read it, don't copy it).
      const listed = Object.keys(await staticMigrationProvider.getMigrations()).sort();
      expect(listed.slice(0, 6)).toStrictEqual([
        '0001-initial',
        '0002-feedback-optimization-cache',
        '0003-analytics-indexes',
        '0004-request-rollups',
        '0005-daily-rollups',
        '0006-request-outcome-index',
      ]);
      expect(applied.rows.map((r) => r.name)).toStrictEqual(listed);
    } finally {
      await reopened.close();
    }
  });

  it('round-trips a request row exactly: booleans, nulls, floats, large epoch ms', async () => {
    const allNulls = makeRequestRow({
      key_id: null,
      team: null,
      model_used: null,
      provider: null,
      status: 502,
      error_type: 'upstream_error',
      ttft_ms: null,
      upstream_latency_ms: null,
      cost_usd: 0,
      finish_reason: null,
      task_type: null,
    });
    const allSet = makeRequestRow({
      created_at: 8_640_000_000_000_000, // the largest epoch ms a Date holds, still exact as a double
      stream: true,
      usage_estimated: true,
      latency_ms: 0.000123456789,
      ttft_ms: 123.456789012345,
      overhead_ms: 0.1 + 0.2,
      cost_usd: 0.000123456789,
      input_tokens: 2_000_000_000,
      decision_id: 'dec_x',
      metadata: JSON.stringify({ user: 'ü', nested: { a: [1, 2.5, null] } }),
      prompt_text: 'Wie viel kostet das? 🧮\n"quoted" \\ backslash',
      response_text: '',
    });
    await store.insertRequests([allNulls, allSet]);

    const gotNulls = await store.getRequest(allNulls.id);
    const gotSet = await store.getRequest(allSet.id);
    expect(gotNulls).toStrictEqual(allNulls);
    expect(gotSet).toStrictEqual(allSet);
    expect(typeof gotSet?.stream).toBe('boolean');
    expect(typeof gotSet?.created_at).toBe('number');
    expect(Object.is(gotSet?.cost_usd, 0.000123456789)).toBe(true);
    expect(await store.getRequest('missing')).toBeUndefined();
  });

  it('inserts more rows than one statement can bind, in order, and counts them', async () => {
    expect(await store.countRequests()).toBe(0);
    const rows: RequestRow[] = Array.from({ length: 5000 }, (_, i) => makeRequestRow({ id: `bulk_${String(i).padStart(5, '0')}`, created_at: 1_000 + i }));
    await store.insertRequests(rows);
    const count = await store.countRequests();
    expect(count).toBe(5000);
    expect(typeof count).toBe('number');
    expect(await store.listRequestIds()).toStrictEqual(rows.map((r) => r.id));
  });

  it('returns aggregates as JS numbers on both dialects (COUNT, SUM and AVG of integers, BIGINT)', async () => {
    await store.insertRequests([makeRequestRow({ input_tokens: 3 }), makeRequestRow({ input_tokens: 4 })]);
    const result = await store.db
      .selectFrom('requests')
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.sum('input_tokens').as('tokens'),
        eb.fn.avg('input_tokens').as('avg_tokens'),
        eb.fn.max('created_at').as('last_ms'),
        eb.fn.sum('stream').as('streams'),
      ])
      .executeTakeFirstOrThrow();
    expect(result).toStrictEqual({ n: 2, tokens: 7, avg_tokens: 3.5, last_ms: expect.any(Number), streams: 0 });
  });

  it('ignores a request id written twice (a retried flush), keeping the first row', async () => {
    const row = makeRequestRow();
    await store.insertRequests([row]);
    await store.insertRequests([{ ...row, cost_usd: 99 }]);
    expect(await store.countRequests()).toBe(1);
    expect((await store.getRequest(row.id))?.cost_usd).toBe(row.cost_usd);
  });

  it('links a decision to its request and keeps its JSON intact', async () => {
    const request = makeRequestRow();
    const decision = makeDecisionRow(request.id);
    await store.insertRequests([{ ...request, decision_id: decision.id }]);
    await store.insertDecisions([decision, makeDecisionRow(makeRequestRow().id)]);

    const got = await store.getDecisionByRequest(request.id);
    expect(got).toStrictEqual(decision);
    expect(JSON.parse(got?.candidates ?? 'null')).toStrictEqual(JSON.parse(decision.candidates));
    expect((await store.getRequest(request.id))?.decision_id).toBe(decision.id);
    expect(await store.getDecisionByRequest('missing')).toBeUndefined();
  });

  it('commits a batch in one transaction: a bad decision rolls back its requests', async () => {
    const request = makeRequestRow();
    const broken = { ...makeDecisionRow(request.id), chosen_model: null } as unknown as DecisionRow;
    await expect(store.writeBatch({ requests: [request], decisions: [broken], reservations: [] })).rejects.toThrow();
    expect(await store.countRequests()).toBe(0);

    const decision = makeDecisionRow(request.id);
    await store.writeBatch({ requests: [request], decisions: [decision], reservations: [makeReservation()] });
    expect(await store.getRequest(request.id)).toStrictEqual(request);
    expect(await store.getDecisionByRequest(request.id)).toStrictEqual(decision);
  });

  it('creates, lists, finds and revokes api keys', async () => {
    const first = makeApiKey({ name: 'ci', team: 'platform', budget_daily_usd: 12.5, budget_monthly_usd: 300, rpm_limit: 600 });
    const second = makeApiKey({ name: 'app' });
    await store.createApiKey(second);
    await store.createApiKey(first);

    expect(await store.listApiKeys()).toStrictEqual([first, second].sort((a, b) => a.created_at - b.created_at));
    expect(await store.findApiKeyByHash(first.key_hash)).toStrictEqual(first);
    expect(await store.findApiKeyByHash('0'.repeat(64))).toBeUndefined();
    await expect(store.createApiKey({ ...makeApiKey(), key_hash: first.key_hash })).rejects.toThrow();

    expect(await store.revokeApiKey(first.id, 1_800_000_000_000)).toBe(true);
    expect((await store.findApiKeyByHash(first.key_hash))?.revoked_at).toBe(1_800_000_000_000);
    expect(await store.revokeApiKey(first.id, 1_900_000_000_000)).toBe(false);
    expect((await store.findApiKeyByHash(first.key_hash))?.revoked_at).toBe(1_800_000_000_000);

    expect(await store.revokeApiKey(second.key_prefix, 1_800_000_000_001)).toBe(true);
    expect((await store.findApiKeyByHash(second.key_hash))?.revoked_at).toBe(1_800_000_000_001);
    expect(await store.revokeApiKey('sk-aigw-nope', 1)).toBe(false);
  });

  it('refuses to revoke by a prefix that matches several active keys', async () => {
    const a = makeApiKey({ key_prefix: 'sk-aigw-dup' });
    const b = makeApiKey({ key_prefix: 'sk-aigw-dup' });
    await store.createApiKey(a);
    await store.createApiKey(b);
    await expect(store.revokeApiKey('sk-aigw-dup', 5)).rejects.toThrow(/matches 2 active keys/);
    expect(await store.revokeApiKey(a.id, 5)).toBe(true);
    // With one of the two revoked, the prefix is unambiguous again.
    expect(await store.revokeApiKey('sk-aigw-dup', 6)).toBe(true);
    expect((await store.findApiKeyByHash(b.key_hash))?.revoked_at).toBe(6);
  });

  it('upserts reservations from reserved to settled and sums settled spend since a time', async () => {
    const since = 1_767_225_600_000;
    const settledLater = makeReservation({ key_id: 'key_s', created_at: since + 10, reserved_usd: 0.05 });
    await store.upsertReservations([settledLater]);
    expect(await store.sumKeySpendSince('key_s', since)).toBe(0);

    await store.upsertReservations([{ ...settledLater, settled_usd: 0.000123456789, status: 'settled' }]);
    const reservedThenSettledInOneBatch = makeReservation({ key_id: 'key_s', created_at: since + 20 });
    await store.upsertReservations([
      reservedThenSettledInOneBatch,
      { ...reservedThenSettledInOneBatch, settled_usd: 0.2, status: 'settled' },
      makeReservation({ key_id: 'key_s', created_at: since + 30, status: 'released', settled_usd: 0 }),
      makeReservation({ key_id: 'key_s', created_at: since + 40 }),
      makeReservation({ key_id: 'key_s', created_at: since - 1, settled_usd: 5, status: 'settled' }),
      makeReservation({ key_id: 'key_other', created_at: since + 1, settled_usd: 7, status: 'settled' }),
    ]);

    const spend = await store.sumKeySpendSince('key_s', since);
    expect(typeof spend).toBe('number');
    expect(spend).toBeCloseTo(0.200123456789, 15);
    expect(await store.sumKeySpendSince('key_s', since + 15)).toBeCloseTo(0.2, 15);
    expect(await store.sumKeySpendSince('key_none', 0)).toBe(0);

    const rows = await store.db.selectFrom('budget_reservations').selectAll().where('id', '=', settledLater.id).execute();
    expect(rows).toStrictEqual([{ ...settledLater, settled_usd: 0.000123456789, status: 'settled' }]);
  });

  it('keeps one feedback signal per request and source: a repeat replaces the score', async () => {
    const base = { request_id: 'req-fb', comment: null, created_at: 1_700_000_000_000 };
    await store.upsertFeedback({ ...base, id: 'fb-1', source: 'user', score: 0.2 });
    await store.upsertFeedback({ ...base, id: 'fb-2', source: 'judge', score: 0.9 });
    await store.upsertFeedback({ ...base, id: 'fb-3', source: 'user', score: 1, comment: 'fixed', created_at: 1_700_000_000_500 });
    const rows = await store.listFeedback('req-fb');
    expect(rows.map((r) => [r.source, r.score, r.comment])).toEqual([
      ['judge', 0.9, null],
      ['user', 1, 'fixed'],
    ]);
    expect(rows.find((r) => r.source === 'user')?.id).toBe('fb-1');
    expect(await store.listFeedback('other')).toEqual([]);
  });

  it('stores recommendations and moves them from proposed to applied', async () => {
    await store.insertRecommendations([
      {
        id: 'rec-1',
        created_at: 1_700_000_000_000,
        kind: 'rule',
        title: 'route summaries to the cheap tier',
        payload: '{"a":1}',
        status: 'proposed',
        applied_at: null,
      },
    ]);
    expect((await store.getRecommendation('rec-1'))?.status).toBe('proposed');
    expect(await store.setRecommendationStatus('rec-1', 'applied', 1_700_000_001_000)).toBe(true);
    expect(await store.getRecommendation('rec-1')).toMatchObject({ status: 'applied', applied_at: 1_700_000_001_000, payload: '{"a":1}' });
    expect(await store.setRecommendationStatus('missing', 'applied', 1)).toBe(false);
  });

  it('round-trips the cache and optimization columns of a request row', async () => {
    const row = makeRequestRow({ cache_hit: true, cache_saved_usd: 0.0123, optimization: '{"technique":"re2"}' });
    await store.insertRequests([row]);
    expect(await store.getRequest(row.id)).toMatchObject({ cache_hit: true, cache_saved_usd: 0.0123, optimization: '{"technique":"re2"}' });
  });
});

describe('openStore', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aigw-open-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the SQLite file in a missing directory, in WAL mode with NORMAL sync and a 2 MB page cache', async () => {
    const nested = join(dir, 'a', 'b');
    const store = await openStore({ dir: nested, databaseUrl: '' });
    try {
      expect(store.dialect).toBe('sqlite');
      expect(existsSync(join(nested, 'aigw.db'))).toBe(true);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db);
      expect(sync.rows[0]?.synchronous).toBe(1);
      const busy = await sql<{ timeout: number }>`pragma busy_timeout`.execute(store.db);
      expect(busy.rows[0]?.timeout).toBeGreaterThan(0);
      // 2 MB, not better-sqlite3's 16 MB: the periodic reads on this connection would fill it.
      const cache = await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db);
      expect(cache.rows[0]?.cache_size).toBe(-2000);
      // Checkpoints run on the write thread (every 4000 pages), never on this connection's commits.
      const checkpoint = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
      expect(checkpoint.rows[0]?.wal_autocheckpoint).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('finds a decision by its request id through an index (migration 0017 dropped the unique one)', async () => {
    const store = await openStore({ dir });
    try {
      const plan = await sql<{ detail: string }>`explain query plan select * from decisions where request_id = ${'req_1'}`.execute(store.db);
      expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/USING INDEX decisions_request_cover_idx \(request_id=\?\)/);
      const unique = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and name = 'decisions_request_id_uq'`.execute(store.db);
      expect(unique.rows).toHaveLength(0);
    } finally {
      await store.close();
    }
  });

  it('rejects a database URL it cannot serve, and an unsafe schema name', async () => {
    await expect(openStore({ dir, databaseUrl: 'mysql://localhost/db' })).rejects.toThrow(/unsupported database_url/);
    await expect(openStore({ dir, databaseUrl: 'postgres://postgres@127.0.0.1:5432/test', schema: 'x; drop table y' })).rejects.toThrow(
      /invalid PostgreSQL schema/,
    );
  });
});
