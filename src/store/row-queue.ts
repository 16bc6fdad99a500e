/**
 * FIFO with O(1) push and a batch view of the head: rows stay queued until `drop` confirms they
 * were written, so a failed flush loses nothing.
 */
export class RowQueue<T> {
  private items: T[] = [];
  private head = 0;
  /** Rows ever pushed and ever dropped: a flush waits for `droppedTotal` to reach the `pushedTotal` it started at. */
  pushedTotal = 0;
  droppedTotal = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.pushedTotal += 1;
  }

  /** The first `max` rows, without removing them. */
  peek(max: number): T[] {
    return this.items.slice(this.head, this.head + max);
  }

  drop(count: number): void {
    const removed = Math.min(count, this.length);
    this.head += removed;
    this.droppedTotal += removed;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      // Compacting only once the dead prefix outweighs the live rows keeps drop amortised O(1).
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
