import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../providers/chat-schema.ts';
import {
  BoundsExceededError,
  CallRecorder,
  parseTechniqueSpec,
  pipelineNote,
  runTechniqueSpec,
  TECHNIQUES,
  techniqueBounds,
  TechniqueAbortedError,
  TechniqueOptionError,
  UnknownTechniqueError,
} from './run-technique.ts';
import { scriptedComplete } from './scripted-complete.test-support.ts';

const request: ChatRequest = { model: 'cheap', messages: [{ role: 'user', content: 'What is 6 * 7?' }], max_tokens: 100 };

describe('parseTechniqueSpec', () => {
  it('parses names, pipelines and parallel branches (& binds tighter than |)', () => {
    expect(parseTechniqueSpec('re2').branches).toEqual([['re2']]);
    expect(parseTechniqueSpec(' re2 & self_consistency | none ')).toEqual({
      text: 're2&self_consistency|none',
      branches: [['re2', 'self_consistency'], ['none']],
    });
  });

  it('throws UnknownTechniqueError naming the bad names and listing every valid one', () => {
    const err = (() => {
      try {
        parseTechniqueSpec('re2&bogus|nope');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnknownTechniqueError);
    const message = (err as Error).message;
    expect(message).toContain("'bogus', 'nope'");
    for (const name of Object.keys(TECHNIQUES)) expect(message).toContain(name);
    expect(() => parseTechniqueSpec('re2&')).toThrow(UnknownTechniqueError);
  });
});

describe('techniqueBounds', () => {
  it('states requests and completion tokens up front, counting emulated n', () => {
    expect(techniqueBounds('none', request)).toEqual({ maxUpstreamRequests: 1, maxCompletionTokens: 100 });
    expect(techniqueBounds('self_consistency', request, { k: 7 })).toEqual({ maxUpstreamRequests: 7, maxCompletionTokens: 700 });
  });

  it('adds pipeline steps and parallel branches, plus the select call of a parallel spec', () => {
    expect(techniqueBounds('re2&self_consistency', request, { k: 3 })).toEqual({ maxUpstreamRequests: 4, maxCompletionTokens: 400 });
    expect(techniqueBounds('re2|none', request)).toEqual({ maxUpstreamRequests: 3, maxCompletionTokens: 200 + 16 * 2 + 32 });
  });

  it('refuses an option out of range, naming it and its range', () => {
    expect(() => techniqueBounds('self_consistency', request, { k: 1 })).toThrow(/Option 'k' of technique 'self_consistency' must be an integer from 2 to 32/);
    expect(() => techniqueBounds('self_consistency', request, { k: 2.5 })).toThrow(TechniqueOptionError);
  });

  it('refuses an option no technique of the spec knows', () => {
    expect(() => techniqueBounds('re2', request, { k: 5 })).toThrow(/Option 'k' is not an option of re2; it takes no options/);
    expect(() => techniqueBounds('re2|self_consistency', request, { k: 5 })).not.toThrow();
  });
});

describe('runTechniqueSpec', () => {
  it('none: one call with the client messages and its max_tokens', async () => {
    const s = scriptedComplete(['42']);
    const out = await runTechniqueSpec('none', { request, complete: s.complete, options: {} });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]).toMatchObject({ label: 'none', messages: request.messages, max_tokens: 100 });
    expect(out).toMatchObject({ answer: '42', finishReason: 'stop', technique: 'none' });
  });

  it('re2: the question is stated twice in one call', async () => {
    const s = scriptedComplete(['42']);
    await runTechniqueSpec('re2', { request, complete: s.complete, options: {} });
    expect(s.prompts()).toEqual(['What is 6 * 7?\nRead the question again: What is 6 * 7?']);
  });

  it('self_consistency: one n=k call, the majority normalized answer wins', async () => {
    const s = scriptedComplete([['Final answer: 41', 'so 42', 'The answer is 42.0', 'answer: 40', 'Final answer: 41']]);
    const out = await runTechniqueSpec('self_consistency', { request, complete: s.complete, options: { k: 5 } });
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0]).toMatchObject({ n: 5, temperature: 0.7, label: 'self_consistency:sample' });
    // 41 and 42 have two votes each: the one seen first wins.
    expect(out.answer).toBe('Final answer: 41');
  });

  it('sums every kind of token and the cost over every call (prompt tokens included)', async () => {
    const u = (i: number) => ({ inputTokens: 10 * i, cachedInputTokens: i, cacheWriteTokens: 0, outputTokens: 5 * i, reasoningTokens: i });
    const s = scriptedComplete([
      { texts: ['A'], usage: u(1), costUsd: 0.1 },
      { texts: ['A'], usage: u(2), costUsd: 0.2 },
    ]);
    const out = await runTechniqueSpec('re2&none', { request, complete: s.complete, options: {} });
    expect(out.calls.map((c) => c.label)).toEqual(['re2', 'none']);
    expect(out.usage).toEqual({ inputTokens: 30, cachedInputTokens: 3, cacheWriteTokens: 0, outputTokens: 15, reasoningTokens: 3 });
    expect(out.costUsd).toBe(0.3);
    expect(out.bounds).toEqual({ maxUpstreamRequests: 2, maxCompletionTokens: 200 });
  });

  it('a&b: the second step sees the first answer as a system note, the question stays last', async () => {
    const s = scriptedComplete(['First: 41', 'Final answer: 42']);
    const out = await runTechniqueSpec('none&re2', { request, complete: s.complete, options: {} });
    expect(out.answer).toBe('Final answer: 42');
    expect(s.calls[1]!.messages[0]).toEqual({ role: 'system', content: pipelineNote('none', 'First: 41') });
    expect(s.prompts()[1]).toBe('What is 6 * 7?\nRead the question again: What is 6 * 7?');
  });

  it('a|b: agreeing branches win without a select call', async () => {
    const s = scriptedComplete((call) => (call.label === 'none' ? 'Answer: 42' : 'I think 42'));
    const out = await runTechniqueSpec('none|re2', { request, complete: s.complete, options: {} });
    expect(s.calls.map((c) => c.label).sort()).toEqual(['none', 're2']);
    expect(out.answer).toBe('Answer: 42');
  });

  it('a|b: disagreeing branches are rated in one select call and the best-rated wins', async () => {
    const s = scriptedComplete((call) => (call.label === 'none' ? 'Answer: 41' : call.label === 're2' ? 'Answer: 42' : 'Candidate 1: 3\nCandidate 2: 9'));
    const out = await runTechniqueSpec('none|re2', { request, complete: s.complete, options: {} });
    expect(s.calls.map((c) => c.label)).toEqual(['none', 're2', 'parallel:select']);
    expect(s.prompts()[2]).toContain('Candidate 1:\nAnswer: 41\n\nCandidate 2:\nAnswer: 42');
    expect(out.answer).toBe('Answer: 42');
  });

  it('stops issuing calls once the signal aborts', async () => {
    const controller = new AbortController();
    const s = scriptedComplete(() => {
      controller.abort();
      return 'x';
    });
    await expect(runTechniqueSpec('none&re2', { request, complete: s.complete, options: {}, signal: controller.signal })).rejects.toThrow(
      TechniqueAbortedError,
    );
    expect(s.calls).toHaveLength(1);
  });

  it('refuses a call past the stated bounds before it reaches the upstream', async () => {
    const s = scriptedComplete(() => 'x');
    const recorder = new CallRecorder(s.complete, { maxUpstreamRequests: 3, maxCompletionTokens: 250 }, request, undefined);
    await recorder.complete({ label: 'one', messages: request.messages, n: 2, max_tokens: 100 });
    // A third request fits, but 100 more tokens would make 300 > 250.
    await expect(recorder.complete({ label: 'two', messages: request.messages, max_tokens: 100 })).rejects.toThrow(BoundsExceededError);
    await expect(recorder.complete({ label: 'three', messages: request.messages, n: 2, max_tokens: 10 })).rejects.toThrow(
      /'three' would pass the technique's stated bounds \(3 requests/,
    );
    await recorder.complete({ label: 'four', messages: request.messages, max_tokens: 50 });
    expect(s.calls.map((c) => c.label)).toEqual(['one', 'four']);
    expect(recorder.calls.map((c) => c.label)).toEqual(['one', 'four']);
  });
});
