import type { TaskType } from '../../config/schema.ts';
import type { DenseFeatureName } from './dense-features.ts';

/**
 * Rule-based complexity in [0, 1]: a base per task type, raised by length, reasoning, multi-step,
 * math and "detailed/comprehensive" markers, lowered by "brief/short/simple". When a trained predictor
 * is loaded, analyzePrompt blends this with the learned difficulty percentile (see analyze-prompt.ts),
 * so the number also reflects what the outcome data says is hard.
 */
const TASK_BASE: Record<TaskType, number> = {
  chat: 0.15,
  classification: 0.2,
  summarization: 0.22,
  extraction: 0.25,
  translation: 0.3,
  creative_writing: 0.35,
  qa: 0.35,
  coding: 0.5,
  math: 0.55,
  reasoning: 0.55,
};

export function ruleComplexity(taskType: TaskType, dense: Readonly<Record<DenseFeatureName, number>>): number {
  const lengthBoost = Math.max(0, dense.log_prompt_tokens - Math.log1p(30)) * 0.05;
  const raw =
    TASK_BASE[taskType] +
    Math.min(0.15, lengthBoost) +
    0.16 * dense.detail_markers +
    0.06 * dense.reasoning_markers +
    0.07 * dense.multistep_markers +
    0.03 * dense.constraint_markers +
    0.05 * dense.math_keywords +
    0.04 * dense.questions +
    0.05 * dense.user_turns -
    0.15 * dense.brevity_markers;
  return squash(raw);
}

/** Maps the raw score to (0, 1) smoothly; 0.45 raw is the midpoint. */
function squash(raw: number): number {
  return 1 / (1 + Math.exp(-5 * (raw - 0.45)));
}
