import type { TaskType } from '../../config/schema.ts';
import type { ChatMessage } from '../../providers/chat-schema.ts';
import type { PromptAnalysis, PromptFeatures } from '../types.ts';
import { ruleComplexity } from './complexity.ts';
import { computeDenseFeatures } from './dense-features.ts';
import { DEFAULT_HASHING } from './feature-spec.ts';
import { hashPromptVectors, type HashingSpec } from './hashed-ngrams.ts';
import { guessLanguage } from './language.ts';
import { extractPromptText, instructionText } from './prompt-text.ts';
import { classifyTaskType } from './task-type.ts';

/** Learned difficulty of a prompt as a percentile in [0, 1] (QualityPredictor implementations offer one). */
export type DifficultyEstimator = (features: PromptFeatures, taskType: TaskType) => number;

export interface AnalyzeOptions {
  hashing?: HashingSpec;
  /** When given, complexity is the mean of the rule score and this learned percentile. */
  difficulty?: DifficultyEstimator;
}

export function analyzePrompt(messages: readonly ChatMessage[], options: AnalyzeOptions = {}): PromptAnalysis {
  const text = extractPromptText(messages);
  // Markers, task rules and context words all read the same capped text: instruction head and question
  // tail (1 KB), bounding the work whatever the prompt length.
  const instruction = instructionText(text);
  const { dense, promptTokens, markers } = computeDenseFeatures(text, instruction);
  const taskType = classifyTaskType(text, dense, markers, instruction);
  // The marker scan already hashed the instruction's words: no second pass over it.
  const hashing = options.hashing ?? DEFAULT_HASHING;
  const vectors = hashPromptVectors(text.focus, instruction === text.focus ? null : markers, hashing);
  const features: PromptFeatures = { dense, hashedIdx: vectors.hashed.idx, hashedVal: vectors.hashed.val };
  if (vectors.text) {
    features.textIdx = vectors.text.idx;
    features.textVal = vectors.text.val;
  }
  const rule = ruleComplexity(taskType, dense);
  const complexity = options.difficulty ? clamp01(0.5 * rule + 0.5 * options.difficulty(features, taskType)) : rule;
  return {
    features,
    taskType,
    complexity,
    promptTokens,
    language: guessLanguage(languageSample(text.lastUser)),
  };
}

/** Convenience for callers that hold a bare prompt string (CLI scoring, evaluation). */
export function analyzePromptText(prompt: string, options: AnalyzeOptions = {}): PromptAnalysis {
  return analyzePrompt([{ role: 'user', content: prompt }], options);
}

/**
 * The language the user writes in is the language of the instruction, which comes first: "Translate to
 * English:" above a German paragraph is an English prompt. So the first paragraph, when it has words.
 */
function languageSample(lastUser: string): string {
  const cut = lastUser.indexOf('\n\n');
  const end = Math.min(cut >= 16 ? cut : lastUser.length, LANGUAGE_SAMPLE_CHARS);
  return end < lastUser.length ? lastUser.slice(0, end) : lastUser;
}

/** 256 characters hold 40-odd words: enough stop words to tell the languages apart. */
const LANGUAGE_SAMPLE_CHARS = 256;

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
