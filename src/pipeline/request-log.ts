import type { Gateway } from './gateway-types.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import type { RouteDecision } from '../router/types.ts';
import type { RequestRow } from '../store/types.ts';
import { TOKEN_KINDS, type RequestCounts } from '../metrics/request-counts.ts';
import { finishTiming, type RequestRecord } from './request-record.ts';
import { endRequestSpan } from './trace-spans.ts';
import { writeToolCallSignal } from './tool-call-signal.ts';
import { learningRowOf } from '../router/learning/learning-loop.ts';
import { decisionRowOf } from './decision-row.ts';

/**
 * A header value as sent: visible ASCII with inner spaces (RFC 9110 field-value; leading or trailing
 * space would be stripped) passes as is, anything else percent-encoded. Model ids, rule names and
 * technique specs come from config and clients and may be neither.
 */
export function headerSafe(value: string): string {
  return /^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/.test(value) ? value : encodeURIComponent(value);
}

/** The x-aigw-* headers every answer carries. Streams send cost and final overhead as trailers. */
export function gatewayHeaders(
  record: RequestRecord,
  target: UpstreamTarget | undefined,
  decision: RouteDecision | undefined,
  simulated: boolean,
  opts: { streaming?: boolean } = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-aigw-request-id': record.row.id,
    'x-aigw-overhead-ms': record.row.overhead_ms.toFixed(3),
  };
  if (target) {
    headers['x-aigw-model'] = headerSafe(target.model.id);
    headers['x-aigw-provider'] = headerSafe(target.provider.id);
    if (target.provider.simulated || simulated) headers['x-aigw-simulated'] = 'true';
  }
  if (!opts.streaming) headers['x-aigw-cost-usd'] = record.row.cost_usd.toFixed(10);
  if (decision) {
    headers['x-aigw-decision-id'] = decision.id;
    headers['x-aigw-route-rule'] = headerSafe(decision.rulesFired.length > 0 ? decision.rulesFired.join(',') : 'default');
  }
  return headers;
}

/** The access log: one line per request, with what an operator greps for first. */
function logAccess(g: Gateway, record: RequestRecord): void {
  const row = record.row;
  g.logger.info(
    {
      id: row.id,
      key: record.key?.name ?? null,
      asked: row.model_requested,
      model: row.model_used,
      status: row.status,
      // pino leaves out undefined fields: one object shape, no spread copies.
      error: row.error_type || undefined,
      tokens_in: row.input_tokens,
      tokens_out: row.output_tokens,
      cost_usd: Number(row.cost_usd.toPrecision(6)),
      latency_ms: Math.round(row.latency_ms * 10) / 10,
      cache: row.cache_hit ? 'hit' : undefined,
    },
    'request',
  );
}

/** Writes the request row (batched, off the request path) and updates metrics; once per request. */
export function recordRequest(g: Gateway, record: RequestRecord): void {
  // Not durable: the row is only enqueued, there is nothing to wait for.
  void writeRequestRow(g, record, false);
}

/** The row's write promise only when `durable`; the batched path never makes the request wait. */
function writeRequestRow(g: Gateway, record: RequestRecord, durable: boolean): Promise<void> | undefined {
  if (record.written) return undefined;
  record.written = true;
  if (record.row.latency_ms === 0) finishTiming(record);
  const row = record.row;
  const model = row.model_used ?? 'none';
  const stream = row.stream ? 'true' : 'false';
  const m = g.metrics;
  m.counts.request(model, row.provider ?? 'none', row.status, row.stream);
  m.latency.series(model, stream).observe(row.latency_ms / 1000);
  m.overhead.observe(row.overhead_ms / 1000);
  if (row.ttft_ms !== null) m.ttft.series(model).observe(row.ttft_ms / 1000);
  if (row.cost_usd > 0) m.counts.cost(model, row.cost_usd);
  // Tokens served from the response cache were not billed; aigw_cache_saved_usd_total counts those answers.
  if (!row.cache_hit) countBilledTokens(m.counts, model, row);
  // The batched enqueue's promise is only backpressure (a full queue draining); the request never waits on it.
  const persisted = durable ? g.writer.enqueueRequestDurable(row) : (void g.writer.enqueueRequest(row), undefined);
  if (g.config.server.access_log) logAccess(g, record);
  recordLearningRow(g, record);
  endRequestSpan(record.trace, row, { providerType: row.provider ? g.config.providers.find((p) => p.id === row.provider)?.type : undefined });
  // Sampled background grading; with log_content off the texts come from `record.judgeContent`.
  g.judge?.offer(row, record.judgeContent);
  writeToolCallSignal(g, record);
  return persisted;
}

/**
 * With `resilience.durable_writes`, writes the request's row (committed to the store, or spooled to
 * disk while it is down) before the answer's last byte, so a SIGKILL cannot lose an answered
 * request's row; the caller awaits it just before sending. Off: the row is written after the answer
 * (batched within `store.flush_interval_ms`).
 */
export async function recordBeforeAnswer(g: Gateway, record: RequestRecord): Promise<void> {
  if (g.config.resilience.durable_writes) await writeRequestRow(g, record, true);
}

/**
 * A routed request answered by a model (not from the cache) leaves a learning row: its features, no text,
 * scored later by whatever quality signal lands for it (docs/router-learning.md).
 */
function recordLearningRow(g: Gateway, record: RequestRecord): void {
  const { decision, row } = record;
  if (!g.learning || !decision || row.status !== 200 || row.cache_hit || !row.model_used) return;
  const technique = decision.technique?.spec ?? (row.optimization ? 'optimizer' : null);
  const learningRow = learningRowOf(decision, row.id, row.model_used, technique, row.created_at);
  if (learningRow) g.learning.record(learningRow);
}

export function recordDecision(g: Gateway, decision: RouteDecision, record: RequestRecord): void {
  record.decision = decision;
  void g.writer.enqueueDecision(decisionRowOf(decision, record.row.id, record.row.created_at));
}

function countBilledTokens(counts: RequestCounts, model: string, row: RequestRow): void {
  if (row.input_tokens > 0) {
    counts.tokens(model, INPUT, row.input_tokens);
    if (row.cached_input_tokens) counts.tokens(model, CACHED_INPUT, row.cached_input_tokens);
    if (row.cache_write_tokens) counts.tokens(model, CACHE_WRITE, row.cache_write_tokens);
  }
  if (row.output_tokens > 0) counts.tokens(model, OUTPUT, row.output_tokens);
  if (row.reasoning_tokens > 0) counts.tokens(model, REASONING, row.reasoning_tokens);
}

const [INPUT, CACHED_INPUT, CACHE_WRITE, OUTPUT, REASONING] = (['input', 'cached_input', 'cache_write', 'output', 'reasoning'] as const).map((k) =>
  TOKEN_KINDS.indexOf(k),
) as [number, number, number, number, number];
