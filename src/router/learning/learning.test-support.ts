import { LearningConfig } from '../../config/learning-schema.ts';
import { analyzePromptText } from '../analyze/analyze-prompt.ts';
import { loadPredictor } from '../predictor/load-predictor.ts';
import type { IrtQualityPredictor } from '../predictor/irt-predictor.ts';
import type { LearningRow } from './learning-row.ts';

let shipped: IrtQualityPredictor | null = null;
/** The shipped predictor, loaded once per test file (it is 6 MB of weights). */
export function shippedPredictor(): IrtQualityPredictor {
  shipped ??= loadPredictor();
  return shipped;
}

export const PROMPTS = [
  'What is the capital of France?\nA) Paris\nB) Rome\nC) Madrid\nD) Berlin\nAnswer:',
  'Write a Python function that returns the n-th Fibonacci number.',
  'Solve for x: 3x + 7 = 22. Show your steps.',
  'Summarize the following paragraph in one sentence: The committee met on Tuesday to discuss the budget.',
  'Which gas do plants absorb from the air?\nA) Oxygen\nB) Carbon dioxide\nC) Nitrogen\nD) Helium\nAnswer:',
];

/** A learning row for a prompt of PROMPTS as the router would leave it, scored or not. */
export function learningRowFor(i: number, model: string, score: number | null, atMs: number, requestId = `req-${String(i).padStart(6, '0')}`): LearningRow {
  const analysis = analyzePromptText(PROMPTS[i % PROMPTS.length]!);
  const item = shippedPredictor().item(analysis.features, analysis.taskType);
  return {
    requestId,
    createdAtMs: atMs,
    model,
    taskType: analysis.taskType,
    features: analysis.features,
    difficulty: item.difficulty,
    discrimination: item.discrimination,
    predicted: 0.5,
    routerVersion: 'test',
    technique: null,
    explored: false,
    score,
    source: score === null ? null : 'user',
    scoredAtMs: score === null ? null : atMs,
  };
}

export function learningConfig(overrides: Partial<LearningConfig> = {}): LearningConfig {
  return { ...LearningConfig.parse({}), ...overrides };
}
