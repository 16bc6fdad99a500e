import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/schema.ts';
import { num } from './request-window.ts';

export type Percentile = 50 | 90 | 95 | 99;
export type PercentileValues = Partial<Record<`p${Percentile}`, number>> & {
  /** Count and mean of the group's non-NULL values (computed in the same pass). */
  n?: number;
  mean?: number;
};

/**
 * Nearest-rank percentiles (the smallest value with at least p% of the values at or below it), per
 * group, computed in SQL with ROW_NUMBER/COUNT window functions that SQLite (≥ 3.25) and PostgreSQL
 * share: only the few ranked rows that are percentiles leave the database, not the sorted values.
 * `source` must select columns `g` (the group; a constant for one group) and `x` (the value).
 * The rank test is integer arithmetic (rn·100 ≥ p·n > (rn−1)·100), so no CEIL or float rounding differs.
 */
export async function percentilesByGroup(db: Kysely<Database>, source: RawBuilder<unknown>, ps: readonly Percentile[]): Promise<Map<string, PercentileValues>> {
  const conditions = ps.map((p) => sql`(rn * 100 >= ${sql.lit(p)} * n and (rn - 1) * 100 < ${sql.lit(p)} * n)`);
  const result = await sql<{ g: unknown; x: unknown; rn: unknown; n: unknown; mean: unknown }>`
    with v as (select g, x from (${source}) src where x is not null),
    ranked as (
      select g, x, row_number() over (partition by g order by x) as rn, count(*) over (partition by g) as n, avg(x) over (partition by g) as mean from v
    )
    select g, x, rn, n, mean from ranked where ${sql.join(conditions, sql` or `)}`.execute(db);
  const out = new Map<string, PercentileValues>();
  for (const row of result.rows) {
    const group = String(row.g);
    const rn = num(row.rn);
    const n = num(row.n);
    const values = out.get(group) ?? { n, mean: num(row.mean) };
    for (const p of ps) if (rn * 100 >= p * n && (rn - 1) * 100 < p * n) values[`p${p}`] = num(row.x);
    out.set(group, values);
  }
  return out;
}

/** Percentiles of one ungrouped set of values (`source` selects column `x`). */
export async function percentiles(db: Kysely<Database>, source: RawBuilder<unknown>, ps: readonly Percentile[]): Promise<PercentileValues> {
  const grouped = await percentilesByGroup(db, sql`select 0 as g, x from (${source}) one`, ps);
  return grouped.get('0') ?? {};
}
