import type { DecisionTable, RequestTable, SqlBoolean } from './schema.ts';
import type { ApiKeyRow, BudgetReservationRow, DecisionRow, RequestRow } from './types.ts';

function toSqlBoolean(value: boolean): SqlBoolean {
  return value ? 1 : 0;
}

function fromSqlBoolean(value: unknown): boolean {
  return value === 1 || value === true || value === '1';
}

/** pg returns INT8/NUMERIC as strings unless parsed; this keeps the boundary safe even for raw SQL results. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  if (value === null || value === undefined) return 0;
  throw new TypeError(`expected a number from the database, got ${typeof value}`);
}

export function encodeRequestRow(row: RequestRow): RequestTable {
  return {
    id: row.id,
    created_at: row.created_at,
    key_id: row.key_id,
    team: row.team,
    model_requested: row.model_requested,
    model_used: row.model_used,
    provider: row.provider,
    status: row.status,
    error_type: row.error_type,
    stream: toSqlBoolean(row.stream),
    latency_ms: row.latency_ms,
    ttft_ms: row.ttft_ms,
    upstream_latency_ms: row.upstream_latency_ms,
    overhead_ms: row.overhead_ms,
    attempts: row.attempts,
    input_tokens: row.input_tokens,
    cached_input_tokens: row.cached_input_tokens,
    cache_write_tokens: row.cache_write_tokens,
    output_tokens: row.output_tokens,
    reasoning_tokens: row.reasoning_tokens,
    cost_usd: row.cost_usd,
    usage_estimated: toSqlBoolean(row.usage_estimated),
    finish_reason: row.finish_reason,
    task_type: row.task_type,
    decision_id: row.decision_id,
    metadata: row.metadata,
    prompt_text: row.prompt_text,
    response_text: row.response_text,
    cache_hit: toSqlBoolean(row.cache_hit),
    cache_saved_usd: row.cache_saved_usd,
    optimization: row.optimization,
  };
}

// The encoders copy exactly the table's columns, so a caller's object carrying extra fields
// never turns into an unknown column in the INSERT.
export function encodeDecisionRow(row: DecisionRow): DecisionTable {
  return {
    id: row.id,
    request_id: row.request_id,
    created_at: row.created_at,
    routing_model: row.routing_model,
    task_type: row.task_type,
    complexity: row.complexity,
    goal: row.goal,
    chosen_model: row.chosen_model,
    candidates: row.candidates,
    rules: row.rules,
    fallbacks: row.fallbacks,
    rationale: row.rationale,
    router_version: row.router_version,
    decision_us: row.decision_us,
    trust: row.trust ?? null,
    language: row.language ?? null,
    explored: row.explored ? 1 : 0,
  };
}

export function encodeApiKeyRow(row: ApiKeyRow): ApiKeyRow {
  return {
    id: row.id,
    name: row.name,
    key_hash: row.key_hash,
    key_prefix: row.key_prefix,
    team: row.team,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
    budget_daily_usd: row.budget_daily_usd,
    budget_monthly_usd: row.budget_monthly_usd,
    rpm_limit: row.rpm_limit,
  };
}

export function decodeRequestRow(row: RequestTable): RequestRow {
  return {
    ...row,
    stream: fromSqlBoolean(row.stream),
    usage_estimated: fromSqlBoolean(row.usage_estimated),
    cache_hit: fromSqlBoolean(row.cache_hit),
    cache_saved_usd: toNumber(row.cache_saved_usd),
  };
}

/**
 * pg rejects a multi-row upsert that touches the same key twice, and a flush can hold both the
 * `reserved` and the `settled` write of one reservation: the last write of each id wins.
 */
export function lastWritePerReservation(rows: readonly BudgetReservationRow[]): BudgetReservationRow[] {
  const byId = new Map<string, BudgetReservationRow>();
  for (const row of rows) {
    byId.set(row.id, row);
  }
  return [...byId.values()];
}
