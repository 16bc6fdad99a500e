import type { Kysely } from 'kysely';
import { RoutingRule } from '../../config/schema.ts';
import { toNumber } from '../../store/row-codec.ts';
import type { Database } from '../../store/schema.ts';
import type { RecommendationRow, Store } from '../../store/types.ts';
import type { RuleRecommendation } from './types.ts';

/**
 * Keeps generated recommendations (status `proposed`) so `aigw rules apply ID` can apply one later. An id
 * is a hash of its rule (recommendationId), so one already stored is the same change: it is kept as it
 * is (with its status, e.g. applied) rather than stored twice.
 */
export async function storeRecommendations(
  store: Pick<Store, 'insertRecommendations' | 'getRecommendation'>,
  recs: readonly RuleRecommendation[],
  nowMs: number,
): Promise<void> {
  const known = await Promise.all(recs.map((rec) => store.getRecommendation(rec.id)));
  const fresh = recs.filter((rec, i) => known[i] === undefined && recs.findIndex((r) => r.id === rec.id) === i);
  const rows: RecommendationRow[] = fresh.map((rec) => ({
    id: rec.id,
    created_at: nowMs,
    kind: rec.kind,
    title: rec.title,
    payload: JSON.stringify(rec),
    status: 'proposed',
    applied_at: null,
  }));
  await store.insertRecommendations(rows);
}

export class StoredRecommendationError extends Error {}

/** The routing rule inside a stored recommendation's payload, validated against the config schema. */
export function ruleOfStoredRecommendation(row: RecommendationRow): RoutingRule {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    throw new StoredRecommendationError(`recommendation ${row.id} has an unreadable payload`);
  }
  const rule = typeof payload === 'object' && payload !== null ? (payload as { rule?: unknown }).rule : undefined;
  const parsed = RoutingRule.safeParse(rule);
  if (!parsed.success) throw new StoredRecommendationError(`recommendation ${row.id} (${row.kind}) carries no valid routing rule`);
  return parsed.data;
}

/** Stored recommendations, newest first. */
export async function listRecommendations(db: Kysely<Database>, limit = 200): Promise<RecommendationRow[]> {
  const rows = await db.selectFrom('recommendations').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ ...r, created_at: toNumber(r.created_at), applied_at: r.applied_at === null ? null : toNumber(r.applied_at) }));
}
