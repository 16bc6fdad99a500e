import { describe, expect, it } from 'vitest';
import { runTechniqueSpec, techniqueBounds } from '../run-technique.ts';
import { scriptedComplete } from '../scripted-complete.test-support.ts';
import { refineNote } from './mcts.ts';
import { REQUEST, systemNote } from './test-request.test-support.ts';

describe('mcts', () => {
  it('expands, rates parent and children together, descends into the best', async () => {
    const s = scriptedComplete([['a', 'b'], 'Candidate 1: 2\nCandidate 2: 7', ['b1', 'b2'], 'Candidate 1: 7\nCandidate 2: 9\nCandidate 3: 1']);
    const out = await runTechniqueSpec('mcts', { request: REQUEST, complete: s.complete, options: { depth: 2, breadth: 2 } });
    expect(s.calls.map((c) => [c.label, c.n ?? 1])).toEqual([
      ['mcts:expand', 2],
      ['mcts:rate', 1],
      ['mcts:expand', 2],
      ['mcts:rate', 1],
    ]);
    // The first expansion samples the client's own messages; later ones refine the best node so far.
    expect(s.calls[0]).toEqual({ label: 'mcts:expand', messages: REQUEST.messages, n: 2, temperature: 1, max_tokens: 100 });
    expect(s.prompts()[1]).toContain('Candidate 1:\na\n\nCandidate 2:\nb');
    expect(systemNote(s.calls[2]!)).toBe(refineNote('b'));
    expect(s.prompts()[3]).toContain('Candidate 1:\nb\n\nCandidate 2:\nb1\n\nCandidate 3:\nb2');
    expect(out.answer).toBe('b1');
  });

  it('stops early when the parent outscores its children', async () => {
    const s = scriptedComplete([['a', 'b'], 'Candidate 1: 8', ['a1', 'a2'], 'Candidate 1: 9\nCandidate 2: 1']);
    const out = await runTechniqueSpec('mcts', { request: REQUEST, complete: s.complete, options: { depth: 3, breadth: 2 } });
    expect(s.calls).toHaveLength(4);
    expect(out.answer).toBe('a');
    expect(techniqueBounds('mcts', REQUEST, { depth: 3, breadth: 2 }).maxUpstreamRequests).toBe(9);
  });
});
