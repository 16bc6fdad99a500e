import type { TaskType } from '../config/schema.ts';
import {
  approxTokens,
  codeText,
  fillerText,
  goodLetter,
  letterOfResponse,
  mathAnswer,
  mathText,
  multipleChoiceLetters,
  multipleChoiceText,
  proseText,
  questionKey,
  wantsBareLetter,
  wrongLetter,
} from './answer-text.ts';
import { accuracyFor, type SimFleet, type SimModel, type TokenProfile } from './fleet-schema.ts';
import { normalCdf } from '../util/normal-distribution.ts';
import { hashNormal, hashUniform } from './hash.ts';
import { jsonFromSchema } from './json-from-schema.ts';
import { outcomeKey, type OutcomeRow, type OutcomesIndex } from './outcomes-file.ts';
import { classifySimTaskType } from './task-type.ts';

/** A request reduced to what the simulator needs, whatever its wire format. */
export interface SimPrompt {
  /** Text of the last user message: what outcomes, task type and answers are keyed on. */
  lastUserText: string;
  /** Characters counted as prompt (system, every message, tool definitions). */
  promptChars: number;
  messageCount: number;
  /** The last message carries tool results, so the model answers in text instead of calling again. */
  lastIsToolResult: boolean;
  tools: Array<{ name: string; parameters?: unknown }>;
  toolChoice: 'none' | 'auto' | 'required' | { name: string };
  /** JSON mode: `schema` set for structured outputs. */
  json?: { schema?: unknown };
  maxTokens?: number;
  n: number;
  stop: string[];
  /** Sampling temperature when the request set one: above 0, separate requests draw fresh samples (see server.ts). */
  temperature?: number;
  /** The request's `seed`: the same seed draws the same samples. */
  seed?: number;
}

export interface SimToolCall {
  id: string;
  name: string;
  argumentsJson: string;
}

export interface SimChoice {
  text: string;
  toolCall?: SimToolCall;
  finish: 'stop' | 'length' | 'tool_calls';
  /** Set when a stop sequence ended the text. */
  stopSequence?: string;
  /** Visible output tokens plus reasoningTokens. */
  completionTokens: number;
  reasoningTokens: number;
}

export interface SimAnswer {
  taskType: TaskType;
  /** Whether choice 0 is a good answer; sent as `x-sim-outcome`. */
  outcome: boolean;
  outcomeSource: 'outcomes' | 'simulated';
  promptTokens: number;
  choices: SimChoice[];
}

/**
 * Share of the good/bad draw that comes from the prompt rather than the model. Prompts are hard or
 * easy for every model alike (as in real outcome data), so stronger models mostly answer a superset
 * of what weaker ones answer, while each model keeps exactly its configured accuracy on average.
 */
const SHARED_DIFFICULTY = 0.5;

function sampleOutcome(model: SimModel, prompt: string, taskType: TaskType, seed: number, sample: number): boolean {
  const difficulty = hashNormal(seed, 'difficulty', prompt);
  const noise = hashNormal(seed, 'model', model.id, prompt, sample);
  const z = Math.sqrt(SHARED_DIFFICULTY) * difficulty + Math.sqrt(1 - SHARED_DIFFICULTY) * noise;
  // normalCdf(z) is a hash-derived uniform in [0, 1): "hash < accuracy".
  return normalCdf(z) < accuracyFor(model, taskType);
}

/**
 * Whether the simulated `model` answers `prompt` well: a deterministic draw that is true with
 * probability equal to the model's accuracy for the task type. Unknown models never answer well.
 */
export function simOutcome(model: string, prompt: string, taskType: TaskType, fleet: SimFleet, seed: number): boolean {
  const m = fleet.models.find((x) => x.id === model);
  return m === undefined ? false : sampleOutcome(m, prompt, taskType, seed, 0);
}

function drawTokens(profile: TokenProfile, cap: number, ...parts: Array<string | number>): number {
  const n = Math.round(profile.mean + profile.sd * hashNormal(...parts));
  return Math.max(1, Math.min(cap, n));
}

interface ChoiceContext {
  model: SimModel;
  prompt: SimPrompt;
  taskType: TaskType;
  seed: number;
  sample: number;
  good: boolean;
  row: OutcomeRow | undefined;
}

function recordedGoodLetter(row: OutcomeRow): string | undefined {
  for (const [model, score] of Object.entries(row.scores)) {
    const response = row.responses?.[model];
    if (score >= 0.5 && response !== undefined) {
      const letter = letterOfResponse(response);
      if (letter) return letter;
    }
  }
  return undefined;
}

function answerText(c: ChoiceContext): string {
  const { model, prompt, seed, sample, good } = c;
  const text = prompt.lastUserText;
  const recorded = c.row?.responses?.[model.id];
  if (recorded !== undefined && sample === 0) return recorded;
  const targetTokens = drawTokens(model.answer_tokens, model.max_output_tokens, seed, 'len', model.id, text, sample);
  const fillerChars = targetTokens * 4;
  if (prompt.json) {
    const value = prompt.json.schema
      ? jsonFromSchema(prompt.json.schema)
      : { answer: fillerText(fillerChars, model.id, text, sample), quality: good ? 'good' : 'poor', model: model.id, simulated: true };
    return JSON.stringify(value);
  }
  const letters = multipleChoiceLetters(text);
  if (letters) {
    const correct = (c.row && recordedGoodLetter(c.row)) ?? goodLetter(letters, seed, questionKey(text));
    const letter = good ? correct : wrongLetter(letters, correct, seed, model.id, text, sample);
    return multipleChoiceText(letter, wantsBareLetter(text), model.id, fillerChars, text, sample);
  }
  if (c.taskType === 'math') return mathText(good, model.id, fillerChars, seed, text, sample, questionKey(text));
  if (c.taskType === 'coding') return codeText(good, model.id, fillerChars, text, sample);
  return proseText(good, model.id, c.taskType, fillerChars, text, sample);
}

function toolCallFor(c: ChoiceContext): SimToolCall | undefined {
  const { prompt } = c;
  if (prompt.tools.length === 0 || prompt.toolChoice === 'none' || prompt.lastIsToolResult) return undefined;
  const choice = prompt.toolChoice;
  const named = typeof choice === 'object' ? prompt.tools.find((t) => t.name === choice.name) : undefined;
  const tool = named ?? prompt.tools[0]!;
  const idHash = Math.floor(hashUniform(c.seed, 'tool', c.model.id, prompt.lastUserText, c.sample) * 2 ** 48);
  return { id: idHash.toString(36).padStart(10, '0'), name: tool.name, argumentsJson: JSON.stringify(jsonFromSchema(tool.parameters ?? {})) };
}

function applyLimits(text: string, prompt: SimPrompt): Pick<SimChoice, 'text' | 'finish' | 'stopSequence'> {
  let cut = text.length;
  let stopSequence: string | undefined;
  for (const stop of prompt.stop) {
    const at = stop === '' ? -1 : text.indexOf(stop);
    if (at !== -1 && at < cut) {
      cut = at;
      stopSequence = stop;
    }
  }
  if (prompt.maxTokens !== undefined && prompt.maxTokens * 4 < cut) {
    return { text: text.slice(0, prompt.maxTokens * 4), finish: 'length' };
  }
  return stopSequence === undefined ? { text, finish: 'stop' } : { text: text.slice(0, cut), finish: 'stop', stopSequence };
}

function composeChoice(c: ChoiceContext): SimChoice {
  const { model, seed, prompt } = c;
  const reasoningTokens = model.reasoning_tokens
    ? drawTokens(model.reasoning_tokens, model.max_output_tokens, seed, 'reasoning', model.id, prompt.lastUserText, c.sample)
    : 0;
  const toolCall = toolCallFor(c);
  if (toolCall) {
    return {
      text: '',
      toolCall,
      finish: 'tool_calls',
      completionTokens: reasoningTokens + approxTokens(toolCall.name + toolCall.argumentsJson),
      reasoningTokens,
    };
  }
  const limited = applyLimits(answerText(c), prompt);
  return { ...limited, completionTokens: reasoningTokens + approxTokens(limited.text), reasoningTokens };
}

/**
 * The simulated world's correct final answer to a prompt, as `normalizeAnswer` writes it: the letter
 * every good model picks for a multiple-choice question, the value for a maths question; undefined
 * for other prompts (their answers are graded by outcome only). Generates gold answers for
 * simulation-only eval datasets (bench/optimizer-eval/).
 */
export function simAnswerKey(prompt: string, seed: number): string | undefined {
  const letters = multipleChoiceLetters(prompt);
  if (letters) return goodLetter(letters, seed, questionKey(prompt));
  if (classifySimTaskType(prompt) === 'math') return String(mathAnswer(seed, questionKey(prompt)));
  return undefined;
}

export interface ComposeContext {
  seed: number;
  outcomes?: OutcomesIndex;
  /**
   * Index of this request's first sample (default 0): choice i is sample firstSample + i. Sample 0 is
   * what a deterministic request gets; the server hands sampling requests fresh indices, so k separate
   * requests can disagree like k choices of one request do. Each sample is a fair draw at the model's accuracy.
   */
  firstSample?: number;
}

/** The full simulated answer to one request: outcome, usage and the text or tool call of each choice. */
export function composeAnswer(model: SimModel, prompt: SimPrompt, ctx: ComposeContext): SimAnswer {
  const text = prompt.lastUserText;
  const taskType = classifySimTaskType(text);
  const row = ctx.outcomes?.get(outcomeKey(text));
  const recordedScore = row?.scores[model.id];
  const recorded = row !== undefined && recordedScore !== undefined ? row : undefined;
  const choices: SimChoice[] = [];
  let outcome = false;
  const first = ctx.firstSample ?? 0;
  for (let sample = first; sample < first + prompt.n; sample++) {
    const good = recordedScore !== undefined && sample === 0 ? recordedScore >= 0.5 : sampleOutcome(model, text, taskType, ctx.seed, sample);
    if (sample === first) outcome = good;
    choices.push(composeChoice({ model, prompt, taskType, seed: ctx.seed, sample, good, row: recorded }));
  }
  return {
    taskType,
    outcome,
    outcomeSource: recorded ? 'outcomes' : 'simulated',
    promptTokens: Math.ceil(prompt.promptChars / 4) + 3 * prompt.messageCount,
    choices,
  };
}
