import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** One row of an outcomes JSONL file (format: data/README.md); extra fields are ignored. */
const OutcomeRow = z.looseObject({
  id: z.string(),
  prompt: z.string(),
  scores: z.record(z.string(), z.number()),
  responses: z.record(z.string(), z.string()).optional(),
});
export type OutcomeRow = z.infer<typeof OutcomeRow>;

/** Recorded outcomes keyed by the trimmed prompt text. */
export type OutcomesIndex = Map<string, OutcomeRow>;

export function outcomeKey(prompt: string): string {
  return prompt.trim();
}

/** Adds the rows of JSONL text to the index; a later row for the same prompt merges into the earlier. */
export function indexOutcomeLines(text: string, index: OutcomesIndex, source = 'outcomes'): OutcomesIndex {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON`);
    }
    const row = OutcomeRow.safeParse(parsed);
    if (!row.success) throw new Error(`${source}:${i + 1}: not an outcomes row (${row.error.issues[0]?.message ?? 'invalid'})`);
    const key = outcomeKey(row.data.prompt);
    const prev = index.get(key);
    if (prev === undefined) {
      index.set(key, row.data);
    } else {
      prev.scores = { ...prev.scores, ...row.data.scores };
      if (row.data.responses) prev.responses = { ...prev.responses, ...row.data.responses };
    }
  }
  return index;
}

export async function loadOutcomesFiles(paths: readonly string[]): Promise<OutcomesIndex> {
  const index: OutcomesIndex = new Map();
  for (const path of paths) indexOutcomeLines(await readFile(path, 'utf8'), index, path);
  return index;
}
