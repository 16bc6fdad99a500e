import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** One prompt with the recorded outcome (0–1) of each model, and optionally what each call cost. */
export const OutcomeRow = z.looseObject({
  id: z.string().min(1),
  dataset: z.string().optional(),
  category: z.string().optional(),
  prompt: z.string(),
  scores: z.record(z.string(), z.number().min(0).max(1)),
  costs: z.record(z.string(), z.number().nonnegative()).optional(),
});
export type OutcomeRow = z.infer<typeof OutcomeRow>;

export function parseOutcomeJsonl(text: string, source: string): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    const parsed = OutcomeRow.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${source}:${i + 1}: not an outcome row: ${parsed.error.issues[0]?.message ?? ''}`);
    // Only the fields the router may learn from are kept; responses are dropped right here.
    const { id, dataset, category, prompt, scores, costs } = parsed.data;
    rows.push({ id, dataset, ...(category ? { category } : {}), prompt, scores, ...(costs ? { costs } : {}) });
  }
  return rows;
}

export function readOutcomeFiles(paths: readonly string[]): OutcomeRow[] {
  return paths.flatMap((p) => parseOutcomeJsonl(readFileSync(p, 'utf8'), p));
}
