/** Where cached answers live: JSON text under a key, gone after its TTL. One process or shared (Redis). */
export interface CacheBackend {
  readonly name: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  set(key: string, json: string, ttlMs: number): Promise<void>;
}
