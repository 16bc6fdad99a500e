import type { CacheBackend } from './cache-backend.ts';
import { parseCachedAnswer, type CachedAnswer } from './cached-answer.ts';

export type StoreOutcome = 'stored' | 'too_large';

/** Typed answers over a backend: serialized once, size-checked before they are written. */
export class ResponseCache {
  constructor(readonly backend: CacheBackend) {}

  async lookup(key: string): Promise<CachedAnswer | undefined> {
    const json = await this.backend.get(key);
    return json === undefined ? undefined : parseCachedAnswer(json);
  }

  async store(key: string, answer: CachedAnswer, opts: { ttlMs: number; maxEntryBytes: number }): Promise<StoreOutcome> {
    const json = JSON.stringify(answer);
    if (Buffer.byteLength(json) > opts.maxEntryBytes) return 'too_large';
    await this.backend.set(key, json, opts.ttlMs);
    return 'stored';
  }
}
