import { KeyStoreUnavailableError, withTimeout } from './key-resolver.ts';

/**
 * "Is any API key active?" — asked on every request, answered from a value refreshed at most every
 * `ttlMs`. When the store does not answer, the last answer is served for up to `maxStaleMs`; with
 * no answer at all there is no way to know whether the caller needs a key, so it throws
 * KeyStoreUnavailableError (503). Once true it stays true: revoking the last key must not reopen
 * the gateway to everyone.
 */
export interface KeysRequiredOptions {
  anyActiveKey: () => Promise<boolean>;
  ttlMs?: number;
  maxStaleMs?: number;
  lookupTimeoutMs?: number;
  nowMs?: () => number;
  onStoreResult?: (err: unknown) => void;
}

export class KeysRequired {
  private value: boolean | undefined;
  private checkedAtMs = 0;
  private pending: Promise<boolean> | undefined;
  private readonly ttlMs: number;
  private readonly maxStaleMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: KeysRequiredOptions) {
    this.ttlMs = opts.ttlMs ?? 2_000;
    this.maxStaleMs = opts.maxStaleMs ?? 15 * 60_000;
    this.lookupTimeoutMs = opts.lookupTimeoutMs ?? 2_000;
    this.now = opts.nowMs ?? Date.now;
  }

  async get(): Promise<boolean> {
    if (this.value === true) return true;
    const ageMs = this.now() - this.checkedAtMs;
    if (this.value !== undefined && ageMs < this.ttlMs) return this.value;
    try {
      return await this.check();
    } catch (err) {
      if (this.value !== undefined && ageMs < this.ttlMs + this.maxStaleMs) return this.value;
      throw new KeyStoreUnavailableError(err);
    }
  }

  /** `get()`'s answer when it needs no lookup (fresh, or true for good); undefined when it would ask the store. */
  peek(): boolean | undefined {
    if (this.value === true) return true;
    return this.value !== undefined && this.now() - this.checkedAtMs < this.ttlMs ? this.value : undefined;
  }

  /** Forget the answer (a key was created here or elsewhere); a true answer stays. */
  invalidate(): void {
    if (this.value !== true) this.checkedAtMs = 0;
  }

  private check(): Promise<boolean> {
    this.pending ??= withTimeout(this.opts.anyActiveKey(), this.lookupTimeoutMs)
      .then(
        (active) => {
          this.opts.onStoreResult?.(undefined);
          this.value = this.value === true || active;
          this.checkedAtMs = this.now();
          return this.value;
        },
        (err: unknown) => {
          this.opts.onStoreResult?.(err);
          throw err;
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
