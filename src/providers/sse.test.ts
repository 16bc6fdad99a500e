import { describe, expect, it } from 'vitest';
import { SseParser, formatSseData, SSE_DONE } from './sse.ts';

function parseAll(chunks: Array<string | Uint8Array>): ReturnType<SseParser['end']> {
  const p = new SseParser();
  const out = chunks.flatMap((c) => p.push(c));
  return [...out, ...p.end()];
}

describe('SseParser', () => {
  it('emits one event per blank-line-terminated block, with its event name', () => {
    const events = parseAll(['event: ping\ndata: {"type":"ping"}\n\ndata: a\n\n']);
    expect(events).toEqual([{ event: 'ping', data: '{"type":"ping"}' }, { data: 'a' }]);
  });

  it('joins multi-line data with newlines and ignores comments and unknown fields', () => {
    const events = parseAll([': keep-alive\nretry: 10\nfoo: bar\ndata: line1\ndata:line2\ndata\n\n']);
    expect(events).toEqual([{ data: 'line1\nline2\n' }]);
  });

  it('handles CRLF and lone CR line endings, even when CR and LF arrive in different chunks', () => {
    expect(parseAll(['data: x\r', '\n\r', '\ndata: y\r\r'])).toEqual([{ data: 'x' }, { data: 'y' }]);
  });

  it('reassembles a UTF-8 character split across byte chunks', () => {
    const bytes = Buffer.from('data: héllo 👋\n\n', 'utf8');
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i++) chunks.push(bytes.subarray(i, i + 1));
    expect(parseAll(chunks)).toEqual([{ data: 'héllo 👋' }]);
  });

  it('drops a block with no data line and resets the event name after each dispatch', () => {
    expect(parseAll(['event: lonely\n\ndata: plain\n\n'])).toEqual([{ data: 'plain' }]);
  });

  it('keeps the last id and strips a leading BOM', () => {
    expect(parseAll(['\ufeffid: 7\ndata: z\n\n'])).toEqual([{ data: 'z', id: '7' }]);
  });

  it('flushes a final event that lacks its blank line or its newline at end()', () => {
    expect(parseAll(['data: 1\n\ndata: [DONE]'])).toEqual([{ data: '1' }, { data: '[DONE]' }]);
  });

  it('emits nothing for a partial line until the line completes', () => {
    const p = new SseParser();
    expect(p.push('data: {"a"')).toEqual([]);
    expect(p.push(':1}\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ data: '{"a":1}' }]);
  });
});

describe('formatSseData', () => {
  it('writes a data event that SseParser reads back', () => {
    const text = formatSseData({ a: 'x\ny' }) + SSE_DONE;
    expect(text).toBe('data: {"a":"x\\ny"}\n\ndata: [DONE]\n\n');
    expect(parseAll([text]).map((e) => e.data)).toEqual(['{"a":"x\\ny"}', '[DONE]']);
  });
});
