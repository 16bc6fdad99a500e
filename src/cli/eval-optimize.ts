import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { sumUsd } from '../costs/cost.ts';
import { answersMatch, normalizeAnswer } from '../optimizer/answer-normalize.ts';
import { optionsForSpec, runTechniqueSpec, sumUsage, techniqueBounds } from '../optimizer/run-technique.ts';
import type { Complete } from '../optimizer/types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';

/**
 * `aigw eval optimize`: accuracy, tokens and cost of techniques over a JSONL dataset, graded by exact
 * match of the normalized final answer (src/optimizer/answer-normalize.ts) against the row's gold.
 *
 * Data row format, one JSON object per line:
 *   {"id": "q1", "prompt": "Which …?\nA) …\nB) …", "answer": "B", "system": "optional system message"}
 * `answer` is the gold final answer: a letter, a number, or short text.
 */
export const EvalRow = z.strictObject({
  id: z.string().min(1),
  prompt: z.string().min(1),
  answer: z.union([z.string(), z.number()]).transform(String),
  system: z.string().optional(),
});
export type EvalRow = z.infer<typeof EvalRow>;

export function readEvalRows(file: string, limit?: number): EvalRow[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rows: EvalRow[] = [];
  lines.forEach((line, i) => {
    if (!line.trim() || (limit !== undefined && rows.length >= limit)) return;
    const parsed = EvalRow.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: not an eval row ({id, prompt, answer[, system]}): ${parsed.error.issues[0]?.message ?? ''}`);
    rows.push(parsed.data);
  });
  return rows;
}

export interface EvalCell {
  model: string;
  approach: string;
  rows: number;
  correct: number;
  accuracy: number;
  failed: number;
  upstreamRequests: number;
  usage: NormalizedUsage;
  costUsd: number;
  /** True when some call's cost could not be known (no prices, no aigw header): costUsd undercounts. */
  costUnknown: boolean;
}

export interface EvalPlan {
  rows: readonly EvalRow[];
  models: readonly string[];
  approaches: readonly string[];
  options: Readonly<Record<string, number>>;
  maxTokens?: number;
  concurrency: number;
  /** A `Complete` for one model and one row's request. */
  completeFor(model: string, request: ChatRequest): Complete & { costUnknown?: () => boolean };
  onRow?: () => void;
}

interface RowOutcome {
  correct: boolean;
  failed: boolean;
  upstreamRequests: number;
  usage: NormalizedUsage;
  costUsd: number;
  costUnknown: boolean;
}

function rowRequest(row: EvalRow, model: string, maxTokens: number | undefined): ChatRequest {
  const messages: ChatRequest['messages'] = row.system ? [{ role: 'system', content: row.system }] : [];
  messages.push({ role: 'user', content: row.prompt });
  return { model, messages, ...(maxTokens ? { max_tokens: maxTokens } : {}) };
}

async function evalRow(plan: EvalPlan, model: string, approach: string, row: EvalRow): Promise<RowOutcome> {
  const request = rowRequest(row, model, plan.maxTokens);
  const complete = plan.completeFor(model, request);
  try {
    const out = await runTechniqueSpec(approach, { request, complete, options: optionsForSpec(approach, plan.options) });
    return {
      correct: answersMatch(out.answer, row.answer),
      failed: false,
      upstreamRequests: out.calls.reduce((s, c) => s + c.upstreamRequests, 0),
      usage: out.usage,
      costUsd: out.costUsd,
      costUnknown: complete.costUnknown?.() ?? false,
    };
  } catch (err) {
    // A failed row counts as wrong; its error is shown once per cell, not per row.
    process.emitWarning(`${model} ${approach} ${row.id}: ${err instanceof Error ? err.message : String(err)}`);
    return { correct: false, failed: true, upstreamRequests: 0, usage: sumUsage([]), costUsd: 0, costUnknown: false };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Runs every (model, approach) cell in turn (rows of a cell in parallel), so runs on the simulator are reproducible. */
export async function runEval(plan: EvalPlan): Promise<EvalCell[]> {
  // Bad specs and options fail here, once, before any row runs; each spec gets the options it knows.
  for (const approach of plan.approaches)
    techniqueBounds(approach, { model: 'eval', messages: [{ role: 'user', content: '' }] }, optionsForSpec(approach, plan.options));
  const cells: EvalCell[] = [];
  for (const model of plan.models) {
    for (const approach of plan.approaches) {
      const outcomes = await mapLimited(plan.rows, plan.concurrency, async (row) => {
        const o = await evalRow(plan, model, approach, row);
        plan.onRow?.();
        return o;
      });
      const correct = outcomes.filter((o) => o.correct).length;
      cells.push({
        model,
        approach,
        rows: outcomes.length,
        correct,
        accuracy: outcomes.length ? correct / outcomes.length : 0,
        failed: outcomes.filter((o) => o.failed).length,
        upstreamRequests: outcomes.reduce((s, o) => s + o.upstreamRequests, 0),
        usage: sumUsage(outcomes.map((o) => o.usage)),
        costUsd: sumUsd(outcomes.map((o) => o.costUsd)),
        costUnknown: outcomes.some((o) => o.costUnknown),
      });
    }
  }
  return cells;
}

/** Gold answers that normalize to nothing comparable are a data bug worth naming before a long run. */
export function emptyGoldRows(rows: readonly EvalRow[]): string[] {
  return rows.filter((r) => normalizeAnswer(r.answer) === '').map((r) => r.id);
}
