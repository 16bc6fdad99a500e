import type { ModelConfig } from '../config/schema.ts';
import type { RouteOutcome } from '../router/router.ts';
import type { RouteDecision } from '../router/types.ts';
import { printTable } from './print-table.ts';

const usd = (x: number) => `$${x < 0.01 ? x.toFixed(6) : x.toFixed(4)}`;

/** Where a model's quality estimate starts from, in words (trained abilities beat every prior once they rest on enough outcomes). */
export function qualitySource(model: ModelConfig): string {
  if (model.sources?.['quality']) return `shipped prior: ${model.sources['quality']}`;
  if (Object.keys(model.quality).length > 0) return 'prior from aigw.yaml';
  return 'trained abilities if the predictor knows it, else the task-level default';
}

export function printRouteDecision(d: RouteDecision, write: (line: string) => void = console.log, models: readonly ModelConfig[] = []): void {
  write(`model:      ${d.chosenModel}`);
  write(`why:        ${d.rationale}`);
  write(`task:       ${d.taskType}, complexity ${d.complexity.toFixed(2)}, language ${d.language}`);
  write(
    `goal:       ${d.constraints.goal}, min quality ${d.constraints.minQuality}${d.constraints.maxCostUsd !== undefined ? `, max cost ${usd(d.constraints.maxCostUsd)}` : ''}`,
  );
  write(`rules:      ${d.rulesFired.length ? d.rulesFired.join(', ') : '(none)'}`);
  write(`fallbacks:  ${d.fallbacks.join(' → ') || '(none)'}`);
  write(`decided in: ${d.decisionUs.toFixed(0)} µs (${d.routerVersion})`);
  write('');
  printTable(
    ['candidate', 'quality', 'est. cost', 'est. latency', 'score', 'eligible'],
    d.candidates.map((c) => [
      c.model,
      c.predictedQuality.toFixed(3),
      usd(c.estCostUsd),
      `${Math.round(c.estLatencyMs)} ms`,
      c.score.toFixed(3),
      c.eligible ? 'yes' : `no: ${c.reason ?? ''}`,
    ]),
    write,
  );
  const candidates = new Set(d.candidates.map((c) => c.model));
  const described = models.filter((m) => candidates.has(m.id));
  if (described.length === 0) return;
  write('');
  printTable(
    ['candidate', 'quality from'],
    described.map((m) => [m.id, qualitySource(m)]),
    write,
  );
}

export interface SimulatedRoute {
  index: number;
  outcome: RouteOutcome;
}

/**
 * One line per prompt, then totals against always sending every prompt to the strongest model (the
 * one with the highest mean predicted quality over these prompts).
 */
export function printSimulation(results: SimulatedRoute[], write: (line: string) => void = console.log): void {
  const decided = results.flatMap((r) => (r.outcome.ok ? [{ index: r.index, d: r.outcome.decision }] : []));
  printTable(
    ['#', 'task type', 'complexity', 'chosen model', 'est. cost', 'rule'],
    results.map(({ index, outcome }) => {
      if (!outcome.ok) return [String(index), outcome.taskType, outcome.complexity.toFixed(2), '(none)', '', outcome.message];
      const d = outcome.decision;
      const chosen = d.candidates.find((c) => c.model === d.chosenModel);
      return [String(index), d.taskType, d.complexity.toFixed(2), d.chosenModel, usd(chosen?.estCostUsd ?? 0), d.rulesFired.join(',') || 'default'];
    }),
    write,
  );
  if (decided.length === 0) return;
  const qualitySum = new Map<string, number>();
  for (const { d } of decided) for (const c of d.candidates) qualitySum.set(c.model, (qualitySum.get(c.model) ?? 0) + c.predictedQuality);
  const strongest = [...qualitySum.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  let routedUsd = 0;
  let strongestUsd = 0;
  let routedQuality = 0;
  let strongestQuality = 0;
  for (const { d } of decided) {
    const chosen = d.candidates.find((c) => c.model === d.chosenModel);
    const strong = d.candidates.find((c) => c.model === strongest);
    routedUsd += chosen?.estCostUsd ?? 0;
    routedQuality += chosen?.predictedQuality ?? 0;
    strongestUsd += strong?.estCostUsd ?? 0;
    strongestQuality += strong?.predictedQuality ?? 0;
  }
  const n = decided.length;
  write('');
  write(`${n} of ${results.length} prompts routed`);
  write(`routed:              est. ${usd(routedUsd)}  mean predicted quality ${(routedQuality / n).toFixed(3)}`);
  write(`always ${strongest}: est. ${usd(strongestUsd)}  mean predicted quality ${(strongestQuality / n).toFixed(3)}`);
  if (strongestUsd > 0) write(`saving:              ${((1 - routedUsd / strongestUsd) * 100).toFixed(1)}% of the cost`);
}
