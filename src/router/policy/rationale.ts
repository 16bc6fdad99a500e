import type { TaskType } from '../../config/schema.ts';
import type { RoutingConstraints } from '../types.ts';
import type { RankedCandidate } from './choose-model.ts';
import { formatRatio, formatUsd } from './format.ts';
import { candidateId } from './technique-candidates.ts';

export interface RationaleInput {
  taskType: TaskType;
  complexity: number;
  constraints: RoutingConstraints;
  rulesFired: readonly string[];
  /** The prompt is unlike the predictor's training prompts: its predictions lean on task-level quality. */
  unfamiliar?: boolean;
}

/** Below this ratio two costs or latencies are "about the same" and not worth a comparison. */
const NOTABLE_RATIO = 1.05;

function describeRequest({ taskType, complexity, constraints, unfamiliar }: RationaleInput): string {
  const goal = constraints.goal === 'balanced' ? '' : `, goal ${constraints.goal}`;
  const familiarity = unfamiliar ? ', unfamiliar prompt: routed on task-level quality' : '';
  return `${taskType}, complexity ${complexity.toFixed(2)}${goal}${familiarity}`;
}

function describeRules(rulesFired: readonly string[]): string {
  return rulesFired.length === 0 ? '' : `; rules: ${rulesFired.join(', ')}`;
}

const q = (c: RankedCandidate): string => c.predictedQuality.toFixed(2);

/** How the chosen model compares with a weaker-or-equal alternative that the goal might have picked. */
function compareWithRunnerUp(chosen: RankedCandidate, other: RankedCandidate): string {
  if (other.estCostUsd === 0 && chosen.estCostUsd > 0) return `${candidateId(other)} is free but predicted only ${q(other)}`;
  if (chosen.estCostUsd === 0 && other.estCostUsd > 0) return `free, unlike ${candidateId(other)} (predicted ${q(other)})`;
  const costRatio = other.estCostUsd / chosen.estCostUsd;
  const inverseCostRatio = chosen.estCostUsd / other.estCostUsd;
  if (inverseCostRatio >= NOTABLE_RATIO) {
    return `${candidateId(other)} is ${formatRatio(inverseCostRatio)} cheaper but predicted only ${q(other)}`;
  }
  if (costRatio >= NOTABLE_RATIO) return `${formatRatio(costRatio)} cheaper than ${candidateId(other)} (predicted ${q(other)})`;
  return `ahead of ${candidateId(other)} (predicted ${q(other)}) at about the same cost`;
}

/** How the chosen model compares with a stronger one it was picked over. */
function compareWithStronger(chosen: RankedCandidate, stronger: RankedCandidate, goal: RoutingConstraints['goal']): string {
  const costRatio = stronger.estCostUsd / chosen.estCostUsd;
  const latencyRatio = stronger.estLatencyMs / chosen.estLatencyMs;
  const strongerText = `${candidateId(stronger)} (predicted ${q(stronger)})`;
  if (chosen.estCostUsd === 0 && stronger.estCostUsd > 0) return `free, unlike ${strongerText} at ${formatUsd(stronger.estCostUsd)}`;
  if (goal === 'speed' && latencyRatio >= NOTABLE_RATIO) return `${formatRatio(latencyRatio)} faster than ${strongerText}`;
  if (costRatio >= NOTABLE_RATIO) return `${formatRatio(costRatio)} cheaper than ${strongerText}`;
  if (latencyRatio >= NOTABLE_RATIO) return `${formatRatio(latencyRatio)} faster than ${strongerText}`;
  return `preferred over ${strongerText}`;
}

/**
 * When the chosen candidate runs a technique: what the model alone was predicted. When a technique
 * candidate was offered but lost: its numbers, so the log shows it was weighed.
 */
function describeTechnique(chosen: RankedCandidate, ranked: readonly RankedCandidate[], mentioned: RankedCandidate | undefined): string {
  if (chosen.technique) {
    const t = chosen.technique;
    return ` (${chosen.model.id} alone predicted ${t.plainQuality.toFixed(2)} at ${formatUsd(t.plainCostUsd)}; ${t.upstreamRequests} upstream requests)`;
  }
  const offered = ranked.filter((c) => c.technique !== undefined && c !== chosen && c !== mentioned);
  if (offered.length === 0) return '';
  const parts = offered.map((c) => `${candidateId(c)} predicted ${q(c)} at ${formatUsd(c.estCostUsd)}`);
  return `; not chosen: ${parts.join(', ')}`;
}

/**
 * One plain sentence on why the chosen model won, e.g. "summarization, complexity 0.18: gpt-4o-mini
 * predicted 0.91 ≥ required 0.85 at $0.00018, 14× cheaper than gpt-4o (predicted 0.95); rules: cheap-summaries."
 */
export function describeChoice(input: RationaleInput, chosen: RankedCandidate, ranked: readonly RankedCandidate[], metMinQuality: boolean): string {
  const head = describeRequest(input);
  const rules = describeRules(input.rulesFired);
  const min = input.constraints.minQuality.toFixed(2);
  const cost = formatUsd(chosen.estCostUsd);
  if (!metMinQuality) {
    return `${head}: no model reaches the required ${min}, so the best predicted one was chosen, ${candidateId(chosen)} at ${q(chosen)} (${cost})${rules}.`;
  }
  const others = ranked.filter((c) => c !== chosen && c.status !== 'ineligible');
  let stronger: RankedCandidate | undefined;
  for (const c of others) if (c.predictedQuality > chosen.predictedQuality && (!stronger || c.predictedQuality > stronger.predictedQuality)) stronger = c;
  const runnerUp = others[0];
  const comparison = stronger
    ? compareWithStronger(chosen, stronger, input.constraints.goal)
    : runnerUp
      ? compareWithRunnerUp(chosen, runnerUp)
      : 'the only eligible model';
  return `${head}: ${candidateId(chosen)} predicted ${q(chosen)} ≥ required ${min} at ${cost}, ${comparison}${describeTechnique(chosen, ranked, stronger ?? runnerUp)}${rules}.`;
}

/** Why nothing could serve the request, model by model. */
export function describeNoEligible(input: RationaleInput, ranked: readonly RankedCandidate[]): string {
  const reasons = ranked.map((c) => `${candidateId(c)} (${c.reason ?? 'not eligible'})`).join(', ');
  return `no eligible model for ${describeRequest(input)}: ${reasons || 'no candidate models configured'}${describeRules(input.rulesFired)}.`;
}
