import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { buildReport } from '../analytics/report/build-report.ts';
import { renderReport } from '../analytics/report/render-report.ts';
import type { ReportDocument } from '../analytics/report/report-document.ts';
import { withDestinationId, type AlertsConfig, type ReviewSchedule } from '../config/alerts-schema.ts';
import type { GatewayConfig } from '../config/schema.ts';
import type { Database } from '../store/schema.ts';
import type { Store } from '../store/types.ts';
import { newEventId, recordReviewOutcome } from './alert-store.ts';
import type { AlertDeliverer } from './deliver.ts';
import type { AlertPayload } from './types.ts';

export interface ReviewContext {
  db: Kysely<Database>;
  readDb: Kysely<Database>;
  config: GatewayConfig;
  persistTo?: Pick<Store, 'insertRecommendations' | 'getRecommendation'>;
  deliverer: AlertDeliverer;
  /** Relative `dir:` paths resolve against this directory (the gateway's working directory). */
  cwd: string;
  replica: string;
  nowMs: number;
}

/** The executive summary as plain numbers (the report's metrics carry their sources; a chat message does not need them). */
export function summaryOf(doc: ReportDocument): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.executive_summary))
    out[k] = typeof v === 'object' && v !== null && 'value' in v ? (v as { value: unknown }).value : v;
  return out;
}

/** File name of a review's report: sortable by time, one per run. */
function reportFileName(id: string, nowMs: number, format: ReviewSchedule['format']): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replaceAll(':', '')
    .replace(/\.\d+Z$/, 'Z');
  return `aigw-review-${id}-${stamp}.${format}`;
}

/**
 * Runs one scheduled review: the optimization report over its timeframe, written to each `dir:` and
 * its executive summary (with the paths written) posted to each destination id in `to`.
 */
export async function runReview(
  ctx: ReviewContext,
  review: ReviewSchedule & { id: string },
  alerts: AlertsConfig,
): Promise<{ paths: string[]; doc: ReportDocument }> {
  try {
    const doc = await buildReport(
      ctx.readDb,
      { timeframe: review.timeframe },
      { goal: review.goal, targetReduction: 0.2, config: ctx.config, ...(ctx.persistTo ? { persistTo: ctx.persistTo } : {}) },
      ctx.nowMs,
    );
    const text = renderReport(doc, review.format);
    const paths: string[] = [];
    for (const to of review.to.filter((t) => t.startsWith('dir:'))) {
      const dir = resolve(ctx.cwd, to.slice(4));
      mkdirSync(dir, { recursive: true });
      const path = join(dir, reportFileName(review.id, ctx.nowMs, review.format));
      writeFileSync(path, text);
      paths.push(path);
    }
    const destinations = alerts.destinations.map(withDestinationId).filter((d) => review.to.includes(d.id));
    if (destinations.length > 0) {
      const summary = summaryOf(doc);
      const payload: AlertPayload = {
        version: 1,
        event: 'review',
        event_id: newEventId(),
        sent_at: new Date(ctx.nowMs).toISOString(),
        alert: {
          rule_id: null,
          kind: null,
          subject: review.id,
          severity: 'info',
          status: 'review',
          message: `Routing review ${review.id} (${review.timeframe}, goal ${review.goal}): ${String(summary.total_requests)} requests, optimization potential ${Number(summary.optimization_potential_pct).toFixed(1)}%, ${String(summary.recommended_actions)} recommended action(s)`,
          value: null,
          threshold: null,
          level: null,
          window: { from: doc.parameters.from, to: doc.parameters.to },
          started_at: null,
          resolved_at: null,
          details: {},
        },
        fix: null,
        review: { id: review.id, summary, report_paths: paths },
        gateway: { replica: ctx.replica },
      };
      await ctx.deliverer.send(payload, destinations);
    }
    await recordReviewOutcome(ctx.db, review.id, paths.join(', ') || null, null);
    return { paths, doc };
  } catch (err) {
    await recordReviewOutcome(ctx.db, review.id, null, err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  }
}
