import type { CacheBackend } from './cache-backend.ts';

interface Slot {
  json: string;
  bytes: number;
  expiresAtMs: number;
}

export interface MemoryCacheLimits {
  maxEntries: number;
  maxTotalBytes: number;
  /** Injected for tests; Date.now otherwise. */
  nowMs?: () => number;
}

/**
 * In-process LRU with per-entry TTL. A Map keeps insertion order, so re-inserting on every read makes
 * its first key the least recently used one; expired entries go when read or when they reach the front.
 */
export class MemoryCacheBackend implements CacheBackend {
  readonly name = 'memory';
  private readonly slots = new Map<string, Slot>();
  private totalBytes = 0;
  private readonly nowMs: () => number;

  constructor(private readonly limits: MemoryCacheLimits) {
    this.nowMs = limits.nowMs ?? Date.now;
  }

  get size(): number {
    return this.slots.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  async get(key: string): Promise<string | undefined> {
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    this.slots.delete(key);
    if (slot.expiresAtMs <= this.nowMs()) {
      this.totalBytes -= slot.bytes;
      return undefined;
    }
    this.slots.set(key, slot);
    return slot.json;
  }

  async set(key: string, json: string, ttlMs: number): Promise<void> {
    const bytes = Buffer.byteLength(json);
    this.remove(key);
    if (bytes > this.limits.maxTotalBytes) return;
    this.slots.set(key, { json, bytes, expiresAtMs: this.nowMs() + ttlMs });
    this.totalBytes += bytes;
    this.evict();
  }

  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    this.totalBytes -= slot.bytes;
  }

  private evict(): void {
    while (this.slots.size > this.limits.maxEntries || this.totalBytes > this.limits.maxTotalBytes) {
      const oldest = this.slots.keys().next();
      if (oldest.done) return;
      this.remove(oldest.value);
    }
  }
}
