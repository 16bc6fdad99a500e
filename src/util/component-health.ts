/**
 * Up/down state of the gateway's dependencies (the store, Redis). Whoever talks to a dependency
 * reports each success or failure; a change of state is logged once (never per request), and
 * `/health` and `/metrics` read the current state.
 */

export type ComponentName = 'store' | 'redis';
export type ComponentState = 'ok' | 'down';

/** pino's Logger satisfies this. */
export interface HealthLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface ComponentStatus {
  state: ComponentState;
  /** When the current state began (epoch ms). */
  sinceMs: number;
  /** The error that took it down, one line. */
  lastError?: string;
}

export class ComponentHealth {
  private readonly components = new Map<ComponentName, ComponentStatus>();
  private readonly listeners: Array<(name: ComponentName, state: ComponentState) => void> = [];

  constructor(
    private readonly logger?: HealthLogger,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Registers a dependency this gateway uses, initially up. */
  track(name: ComponentName): void {
    if (!this.components.has(name)) this.components.set(name, { state: 'ok', sinceMs: this.nowMs() });
  }

  isDown(name: ComponentName): boolean {
    return this.components.get(name)?.state === 'down';
  }

  reportOk(name: ComponentName): void {
    const current = this.components.get(name);
    if (current?.state === 'ok') return;
    const downMs = current ? this.nowMs() - current.sinceMs : 0;
    this.components.set(name, { state: 'ok', sinceMs: this.nowMs() });
    this.logger?.info({ component: name, downMs }, `${name} is reachable again`);
    for (const listener of this.listeners) listener(name, 'ok');
  }

  reportDown(name: ComponentName, err: unknown): void {
    const current = this.components.get(name);
    if (current?.state === 'down') return;
    const lastError = oneLine(err);
    this.components.set(name, { state: 'down', sinceMs: this.nowMs(), lastError });
    this.logger?.warn({ component: name, error: lastError }, `${name} is unreachable: serving degraded`);
    for (const listener of this.listeners) listener(name, 'down');
  }

  /** Called on every change of state (after it is logged). */
  onChange(listener: (name: ComponentName, state: ComponentState) => void): void {
    this.listeners.push(listener);
  }

  /** Every tracked dependency and its state, for /health. */
  snapshot(): Record<string, ComponentStatus> {
    return Object.fromEntries(this.components);
  }

  /** Names of the dependencies that are down now. */
  downComponents(): ComponentName[] {
    return [...this.components].filter(([, s]) => s.state === 'down').map(([name]) => name);
  }
}

/** An error as one short line: its code and message, no stack. */
export function oneLine(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return oneLine(err.errors[0]);
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const message = err.message.split('\n', 1)[0] ?? '';
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(err).split('\n', 1)[0] ?? '';
}
