import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexOutcomeLines, loadOutcomesFiles, outcomeKey } from './outcomes-file.ts';

describe('outcomes files', () => {
  it('indexes rows by trimmed prompt and merges rows of the same prompt across files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-outcomes-'));
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, `${JSON.stringify({ id: 'r1', dataset: 'x', prompt: 'Q1 ', scores: { m1: 1 } })}\n\n`);
    writeFileSync(b, `${JSON.stringify({ id: 'r1b', prompt: 'Q1', scores: { m2: 0 }, responses: { m2: 'no' } })}\n`);
    const index = await loadOutcomesFiles([a, b]);
    expect(index.size).toBe(1);
    expect(index.get(outcomeKey(' Q1\n'))).toMatchObject({ id: 'r1', scores: { m1: 1, m2: 0 }, responses: { m2: 'no' } });
  });

  it('names the file and line of a malformed row', () => {
    expect(() => indexOutcomeLines('{"id":"x","prompt":"p","scores":{}}\n{oops', new Map(), 'f.jsonl')).toThrow('f.jsonl:2');
    expect(() => indexOutcomeLines('{"id":"x","scores":{}}', new Map(), 'g.jsonl')).toThrow('g.jsonl:1');
  });
});
