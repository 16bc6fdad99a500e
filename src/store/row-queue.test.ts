import { describe, expect, it } from 'vitest';
import { RowQueue } from './row-queue.ts';

describe('RowQueue', () => {
  it('peeks without removing and drops from the head in FIFO order', () => {
    const queue = new RowQueue<number>();
    for (let i = 0; i < 5; i += 1) queue.push(i);
    expect(queue.peek(3)).toStrictEqual([0, 1, 2]);
    expect(queue.length).toBe(5);
    queue.drop(2);
    queue.push(5);
    expect(queue.peek(10)).toStrictEqual([2, 3, 4, 5]);
    expect({ pushed: queue.pushedTotal, dropped: queue.droppedTotal }).toStrictEqual({ pushed: 6, dropped: 2 });
  });

  it('never drops more than it holds, and stays correct across compaction', () => {
    const queue = new RowQueue<number>();
    for (let i = 0; i < 5_000; i += 1) queue.push(i);
    for (let taken = 0; taken < 4_000; taken += 700) queue.drop(700);
    expect(queue.peek(2)).toStrictEqual([4_200, 4_201]);
    expect(queue.length).toBe(800);
    queue.drop(10_000);
    expect(queue.length).toBe(0);
    expect(queue.droppedTotal).toBe(5_000);
    expect(queue.peek(1)).toStrictEqual([]);
  });
});
