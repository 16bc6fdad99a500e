import { emptyRequestRow, type ApiKeyRow, type RequestRow } from '../store/types.ts';
import type { NormalizedUsage } from '../providers/types.ts';
import type { JudgeContent } from '../quality/judge-queue.ts';
import type { RouteDecision } from '../router/types.ts';
import type { TraceSpan } from '../telemetry/trace-types.ts';

/** The request row under construction; every path that answers a request fills and writes it once. */
export interface RequestRecord {
  row: RequestRow;
  startNs: bigint;
  /** ns spent waiting on upstreams, subtracted from the total to get the gateway's own overhead. */
  upstreamNs: bigint;
  key: ApiKeyRow | undefined;
  isAdmin: boolean;
  written: boolean;
  /** Prompt and answer text kept in memory for the judge when the row does not store them (log_content off). */
  judgeContent?: JudgeContent;
  /** The request's root span when tracing is on (telemetry.otlp_endpoint); ended when the row is written. */
  trace?: TraceSpan;
  /** Tool calls in the answer that an agent could not run (src/pipeline/tool-call-signal.ts); stored as the `completion` signal. */
  toolCallErrors?: string[];
  /** The routing decision, kept until the row is written: its learning row needs the model that answered. */
  decision?: RouteDecision;
}

export function newRequestRecord(id: string, nowMs: number): RequestRecord {
  return {
    row: emptyRequestRow(id, nowMs),
    startNs: process.hrtime.bigint(),
    upstreamNs: 0n,
    key: undefined,
    isAdmin: false,
    written: false,
  };
}

export function applyUsage(row: RequestRow, usage: NormalizedUsage, costUsd: number, estimated: boolean): void {
  row.input_tokens = usage.inputTokens;
  row.cached_input_tokens = usage.cachedInputTokens;
  row.cache_write_tokens = usage.cacheWriteTokens;
  row.output_tokens = usage.outputTokens;
  row.reasoning_tokens = usage.reasoningTokens;
  row.cost_usd = costUsd;
  row.usage_estimated = estimated;
}

/** Stamps total latency and the gateway's own overhead (total minus upstream wait), in ms. */
export function finishTiming(record: RequestRecord): void {
  const totalNs = process.hrtime.bigint() - record.startNs;
  record.row.latency_ms = Number(totalNs) / 1e6;
  record.row.overhead_ms = Math.max(0, Number(totalNs - record.upstreamNs) / 1e6);
  if (record.upstreamNs > 0n) record.row.upstream_latency_ms = Number(record.upstreamNs) / 1e6;
}
