import { z } from 'zod';

/** Task types the router classifies prompts into; quality priors and rules are keyed by them. */
export const TASK_TYPES = [
  'summarization',
  'extraction',
  'classification',
  'translation',
  'qa',
  'chat',
  'coding',
  'math',
  'reasoning',
  'creative_writing',
] as const;
export const TaskType = z.enum(TASK_TYPES);
export type TaskType = z.infer<typeof TaskType>;

export const GOALS = ['cost', 'speed', 'quality', 'balanced'] as const;
export const Goal = z.enum(GOALS);
export type Goal = z.infer<typeof Goal>;

export const TIERS = ['economy', 'standard', 'premium'] as const;
export const Tier = z.enum(TIERS);
export type Tier = z.infer<typeof Tier>;
