import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { WriteBatch } from './kysely-store.ts';

/**
 * Log rows the store could not take, on disk, until it can. Each spilled batch is one file written
 * whole (temp file, fsync, rename), so a crash leaves either the whole batch or nothing, and a
 * restart finds every batch spilled before it. Files are replayed oldest first and deleted only
 * after their rows are committed; a crash between commit and delete replays a batch twice, which
 * the log tables absorb (requests and decisions insert ON CONFLICT DO NOTHING, reservations upsert).
 *
 * Bounded by `maxBytes`: past it `spill` returns false and the rows stay in memory (where the
 * writer's back-pressure takes over).
 */
export interface SpoolSegment {
  readonly name: string;
  readonly bytes: number;
  readonly rows: number;
}

const SEGMENT_RE = /^seg-(\d{15})-(\d{6})\.json$/;

export class DiskSpool {
  private segments: SpoolSegment[] = [];
  private totalBytes = 0;
  private sequence = 0;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)
      .filter((n) => SEGMENT_RE.test(n))
      .sort()) {
      const bytes = statSync(join(dir, name)).size;
      this.segments.push({ name, bytes, rows: -1 });
      this.totalBytes += bytes;
    }
    // Temp files of a spill a crash interrupted hold nothing that was acknowledged as spooled.
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.tmp'))) rmSync(join(dir, name), { force: true });
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Writes a batch to disk durably; false (nothing written) when the spool is full. */
  spill(batch: WriteBatch): boolean {
    const rows = batch.requests.length + batch.decisions.length + batch.reservations.length;
    if (rows === 0) return true;
    const text = JSON.stringify(batch);
    const bytes = Buffer.byteLength(text);
    if (this.totalBytes + bytes > this.maxBytes) return false;
    this.sequence = (this.sequence + 1) % 1_000_000;
    const name = `seg-${String(Date.now()).padStart(15, '0')}-${String(this.sequence).padStart(6, '0')}.json`;
    const tmp = join(this.dir, `${name}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, name));
    this.segments.push({ name, bytes, rows });
    this.totalBytes += bytes;
    return true;
  }

  /** The oldest spilled batch, or undefined. */
  oldest(): { segment: SpoolSegment; batch: WriteBatch } | undefined {
    const segment = this.segments[0];
    if (!segment) return undefined;
    const batch = JSON.parse(readFileSync(join(this.dir, segment.name), 'utf8')) as WriteBatch;
    return { segment, batch };
  }

  /** Deletes a replayed batch. */
  remove(segment: SpoolSegment): void {
    const index = this.segments.indexOf(segment);
    if (index < 0) return;
    rmSync(join(this.dir, segment.name), { force: true });
    this.segments.splice(index, 1);
    this.totalBytes -= segment.bytes;
  }
}
