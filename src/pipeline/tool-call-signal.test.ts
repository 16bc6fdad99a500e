import { describe, expect, it, vi } from 'vitest';
import type { FeedbackRow } from '../store/types.ts';
import type { RequestRecord } from './request-record.ts';
import { accumulateToolCallDeltas, keepToolCallSignal, toolCallErrors, writeToolCallSignal } from './tool-call-signal.ts';

const WEATHER = [{ type: 'function', function: { name: 'get_weather' } }];
const call = (name: string, args: string) => ({ function: { name, arguments: args } });

describe('toolCallErrors', () => {
  it('finds calls to functions the request did not offer and arguments an agent cannot parse', () => {
    expect(toolCallErrors(WEATHER, [call('get_weather', '{"city":"Oslo"}')])).toEqual([]);
    expect(toolCallErrors(WEATHER, [call('get_weather', '{"city":"Oslo"'), call('send_email', '{}'), call('get_weather', '[1,2]'), call('', '{}')])).toEqual([
      'tool call 1 (get_weather): arguments are not valid JSON',
      'tool call 2 (send_email): calls a function the request did not offer',
      'tool call 3 (get_weather): arguments are not a JSON object',
      'tool call 4: no function name',
    ]);
  });

  it('takes empty arguments as {} and does not check names when the request listed no tools', () => {
    expect(toolCallErrors(WEATHER, [call('get_weather', '')])).toEqual([]);
    expect(toolCallErrors(undefined, [call('anything', '{}')])).toEqual([]);
  });
});

describe('accumulateToolCallDeltas', () => {
  it("joins each call's name and argument pieces by index", () => {
    const acc = new Map<number, { name: string; arguments: string }>();
    accumulateToolCallDeltas(acc, [{ index: 0, id: 'a', function: { name: 'get_weather', arguments: '' } }]);
    accumulateToolCallDeltas(acc, [
      { index: 0, function: { arguments: '{"city":' } },
      { index: 1, function: { name: 'get_time', arguments: '{}' } },
    ]);
    accumulateToolCallDeltas(acc, [{ index: 0, function: { arguments: '"Oslo"}' } }]);
    expect([...acc.entries()]).toEqual([
      [0, { name: 'get_weather', arguments: '{"city":"Oslo"}' }],
      [1, { name: 'get_time', arguments: '{}' }],
    ]);
  });
});

describe('the tool-call completion signal', () => {
  const record = () => ({ row: { id: 'req_1' } }) as unknown as RequestRecord;

  it('stores a completion score of 0 with the errors as comment, once per request', async () => {
    const r = record();
    keepToolCallSignal(r, WEATHER, [call('send_email', '{}')]);
    const rows: FeedbackRow[] = [];
    const store = { upsertFeedback: vi.fn(async (row: FeedbackRow) => void rows.push(row)) };
    writeToolCallSignal({ store: store as never, logger: { warn: vi.fn() } as never }, r, 1_000);
    await Promise.resolve();
    expect(rows).toEqual([
      {
        id: expect.stringMatching(/^fb_/),
        request_id: 'req_1',
        source: 'completion',
        score: 0,
        comment: 'tool call 1 (send_email): calls a function the request did not offer',
        created_at: 1_000,
      },
    ]);
  });

  it('stores nothing for good calls, and logs a failed write instead of throwing', async () => {
    const good = record();
    keepToolCallSignal(good, WEATHER, [call('get_weather', '{}')]);
    expect(good.toolCallErrors).toBeUndefined();
    const bad = record();
    keepToolCallSignal(bad, WEATHER, [call('get_weather', 'not json')]);
    const warn = vi.fn();
    writeToolCallSignal({ store: { upsertFeedback: async () => Promise.reject(new Error('disk full')) } as never, logger: { warn } as never }, bad);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ request_id: 'req_1' }), 'could not store the tool-call completion signal');
  });
});
