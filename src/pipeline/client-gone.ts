import type { AbortLike } from '../providers/upstream-client.ts';

/**
 * Whether the client left before its answer, as an AbortLike: a plain flag and a listener list, so a
 * request whose client stays (nearly all of them) builds no AbortController, no AbortSignal and no
 * EventTarget listener (~3% of the gateway's CPU per request). Code that needs a real AbortSignal
 * (an optimizer technique, its calls) asks for `signal`, made on first use and aborted with it.
 */
export class ClientGone implements AbortLike {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** The client left: every listener runs once, as an AbortSignal's 'abort' listeners do. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException('This operation was aborted', 'AbortError');
    this.controller?.abort(this.reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }
}
