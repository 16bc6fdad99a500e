import type {
  ApiKeyRow,
  BudgetReservationRow,
  DecisionRow,
  FeedbackRow,
  LearningRowRecord,
  LearningStateRecord,
  RecommendationRow,
  RequestRow,
  RouterModelRecord,
} from './types.ts';

/**
 * Booleans are stored as INTEGER 0/1 on both dialects, not as a native pg BOOLEAN, so that analytics
 * SQL (`SUM(stream)`, `WHERE usage_estimated = 1`) reads the same on SQLite and PostgreSQL.
 * The store converts at its boundary: callers only ever see `boolean`.
 */
export type SqlBoolean = 0 | 1;

/**
 * Epoch-ms columns are BIGINT; the pg pool parses INT8 to a JS number (exact below 2^53).
 * Durations and money are DOUBLE PRECISION (SQLite REAL is the same 8-byte IEEE double).
 */
export interface RequestTable extends Omit<RequestRow, 'stream' | 'usage_estimated' | 'cache_hit'> {
  stream: SqlBoolean;
  usage_estimated: SqlBoolean;
  cache_hit: SqlBoolean;
}

export interface DecisionTable extends Omit<DecisionRow, 'explored'> {
  explored: SqlBoolean;
}

export interface LearningRowTable extends Omit<LearningRowRecord, 'explored'> {
  explored: SqlBoolean;
}

export type ApiKeyTable = ApiKeyRow;

export type BudgetReservationTable = BudgetReservationRow;

export interface Database {
  requests: RequestTable;
  decisions: DecisionTable;
  api_keys: ApiKeyTable;
  budget_reservations: BudgetReservationTable;
  feedback: FeedbackRow;
  recommendations: RecommendationRow;
  learning_rows: LearningRowTable;
  learning_states: LearningStateRecord;
  router_models: RouterModelRecord;
}
