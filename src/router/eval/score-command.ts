import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { ChatMessage } from '../../providers/chat-schema.ts';
import { analyzePrompt } from '../analyze/analyze-prompt.ts';
import { loadPredictor } from '../predictor/load-predictor.ts';

export interface ScoreCommandOptions {
  input: string;
  models: string[];
  out: string;
  /** Trained model file; default: the shipped models/router-default.json. */
  modelFile?: string;
}

/** Only these two fields are read from each row: anything else (answers, outcomes) is ignored unseen. */
const ScoreRow = z.object({
  id: z.union([z.string(), z.number()]),
  prompt: z.union([z.string(), z.array(ChatMessage).min(1)]),
});

/**
 * `aigw route score --input FILE.jsonl --models m1,m2 --out preds.jsonl`: one line per row, exactly
 * {"id": "<row id>", "scores": {"m1": p1, ...}} with p the predicted chance of a good answer.
 */
export function runScoreCommand(options: ScoreCommandOptions): { rows: number } {
  const predictor = loadPredictor(options.modelFile);
  const models = options.models.map((id) => ({ id }));
  const lines = readFileSync(options.input, 'utf8').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const raw: unknown = JSON.parse(line);
    const parsed = ScoreRow.safeParse(raw);
    if (!parsed.success) throw new Error(`${options.input}:${i + 1}: a row needs "id" and "prompt"`);
    const { id, prompt } = parsed.data;
    const messages = typeof prompt === 'string' ? [{ role: 'user' as const, content: prompt }] : prompt;
    const analysis = analyzePrompt(messages);
    const probabilities = predictor.predict(analysis, models);
    const scores: Record<string, number> = {};
    options.models.forEach((m, k) => (scores[m] = Number(probabilities[k]!.toFixed(6))));
    out.push(JSON.stringify({ id: String(id), scores }));
  }
  writeFileSync(options.out, out.length > 0 ? `${out.join('\n')}\n` : '');
  return { rows: out.length };
}
