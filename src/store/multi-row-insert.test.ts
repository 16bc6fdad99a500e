import { describe, expect, it } from 'vitest';
import { DECISIONS_SPEC, flattenDecisionRows, flattenRequestRows, flattenReservationRows, REQUESTS_SPEC, RESERVATIONS_SPEC } from './log-tables.ts';
import { multiRowInsertSql } from './multi-row-insert.ts';
import { makeDecisionRow, makeRequestRow, makeReservation } from './store-test-support.ts';
import type { DecisionRow } from './types.ts';

describe('multiRowInsertSql', () => {
  it('numbers PostgreSQL parameters row after row and ends with the conflict clause', () => {
    const text = multiRowInsertSql(RESERVATIONS_SPEC, 2, 'postgres');
    expect(text).toBe(
      'insert into "budget_reservations" ("id", "key_id", "request_id", "created_at", "reserved_usd", "settled_usd", "status") ' +
        'values ($1, $2, $3, $4, $5, $6, $7), ($8, $9, $10, $11, $12, $13, $14) ' +
        'on conflict (id) do update set reserved_usd = excluded.reserved_usd, settled_usd = excluded.settled_usd, status = excluded.status',
    );
  });

  it('uses positional ? slots on SQLite, one tuple per row', () => {
    const text = multiRowInsertSql(DECISIONS_SPEC, 3, 'sqlite');
    expect(text.match(/\?/g)).toHaveLength(3 * DECISIONS_SPEC.columns.length);
    expect(text.match(/\(\?/g)).toHaveLength(3);
    expect(text.endsWith('on conflict do nothing')).toBe(true);
  });

  it('returns the same text for the same row count (built once)', () => {
    expect(multiRowInsertSql(REQUESTS_SPEC, 500, 'postgres')).toBe(multiRowInsertSql(REQUESTS_SPEC, 500, 'postgres'));
  });
});

describe('flattening rows', () => {
  it('lays out each row in column order with booleans as 0/1', () => {
    const row = makeRequestRow({ stream: true, usage_estimated: false });
    const values = flattenRequestRows([row, row]);
    const width = REQUESTS_SPEC.columns.length;
    expect(values).toHaveLength(2 * width);
    expect(values[REQUESTS_SPEC.columns.indexOf('id')]).toBe(row.id);
    expect(values[REQUESTS_SPEC.columns.indexOf('stream')]).toBe(1);
    expect(values[width + REQUESTS_SPEC.columns.indexOf('usage_estimated')]).toBe(0);
  });

  it('writes only the table columns, a decision without `explored` as 0 and a missing trust as null', () => {
    const { explored: _explored, ...unexplored } = makeDecisionRow('req_1', { explored: true });
    const bare = { ...unexplored, trust: undefined, note: 'not a column' } as unknown as DecisionRow;
    const values = flattenDecisionRows([makeDecisionRow('req_0', { explored: true }), bare]);
    const width = DECISIONS_SPEC.columns.length;
    expect(values).toHaveLength(2 * width);
    expect(values[DECISIONS_SPEC.columns.indexOf('explored')]).toBe(1);
    expect(values[width + DECISIONS_SPEC.columns.indexOf('explored')]).toBe(0);
    expect(values[width + DECISIONS_SPEC.columns.indexOf('trust')]).toBeNull();
    expect(values).not.toContain('not a column');
  });

  it('keeps only the last write of each reservation', () => {
    const reserved = makeReservation();
    const values = flattenReservationRows([reserved, { ...reserved, settled_usd: 0.5, status: 'settled' }]);
    expect(values).toHaveLength(RESERVATIONS_SPEC.columns.length);
    expect(values[RESERVATIONS_SPEC.columns.indexOf('status')]).toBe('settled');
  });
});
