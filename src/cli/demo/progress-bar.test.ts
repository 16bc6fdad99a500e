import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startDemoProgress } from './progress-bar.ts';
import type { DemoRequestResult } from './send-demo-request.ts';

/** A writable that looks like a terminal to cli-progress and keeps what it was sent. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(w, { isTTY: true, columns: 160, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream: w as unknown as NodeJS.WriteStream, text: () => chunks.join('') };
}

describe('startDemoProgress', () => {
  it('counts ok and failed answers on the bar', () => {
    const term = fakeTerminal();
    const progress = startDemoProgress(3, true, term.stream);
    progress.tick({ status: 200 } as DemoRequestResult);
    progress.tick({ status: 503 } as DemoRequestResult);
    progress.tick({ status: 200 } as DemoRequestResult);
    progress.stop();
    expect(term.text()).toMatch(/3\/3 requests · ok 2 · failed 1/);
  });

  it('writes nothing when disabled', () => {
    const term = fakeTerminal();
    const progress = startDemoProgress(3, false, term.stream);
    progress.tick({ status: 200 } as DemoRequestResult);
    progress.stop();
    expect(term.text()).toBe('');
  });
});
