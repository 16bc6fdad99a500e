// Shared by the alert tests: a local webhook receiver and an AlertService over a test store.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { GatewayConfig, type GatewayConfigInput } from '../config/schema.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { AlertMetrics } from './alert-metrics.ts';
import { AlertService } from './alert-service.ts';
import { Registry } from 'prom-client';

export interface Receiver {
  url: string;
  /** Parsed JSON bodies of the POSTs answered so far, in arrival order. */
  bodies: unknown[];
  /** Every POST that arrived, answered or not. */
  arrived: number;
  /** Answers the requests held open (`hang`) and stops holding new ones. */
  release(): void;
  close(): Promise<void>;
}

/** A webhook receiver on a free port: answers `status` (default 200), or holds every request open with `hang`. */
export async function startReceiver(opts: { status?: (n: number) => number; hang?: boolean } = {}): Promise<Receiver> {
  const held: ServerResponse[] = [];
  let hang = opts.hang ?? false;
  const r: Receiver = {
    url: '',
    bodies: [],
    arrived: 0,
    release() {
      hang = false;
      for (const res of held.splice(0)) res.writeHead(200).end('ok');
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.arrived += 1;
      if (hang) return void held.push(res);
      const status = opts.status?.(r.arrived) ?? 200;
      if (status < 300) r.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const close = r.close.bind(r);
  r.close = async () => {
    r.release();
    server.closeAllConnections();
    await close();
  };
  return r;
}

const started = new Set<AlertService>();

/** Stops every service alertServiceOn made (their fixes and deliveries finish first): call before closing the store. */
export async function stopAlertServices(): Promise<void> {
  for (const s of [...started]) await s.stop();
  started.clear();
}

export interface TestService {
  service: AlertService;
  metrics: AlertMetrics;
  registry: Registry;
  setNow(ms: number): void;
  setConfig(alerts: GatewayConfigInput['alerts']): void;
}

/** An AlertService on `store` with a settable clock and config, its logs silenced. */
export function alertServiceOn(
  store: KyselyStore,
  alerts: GatewayConfigInput['alerts'],
  nowMs: number,
  opts: { replicaId?: string; openBreakers?: () => { model: string; openSinceMs: number }[]; cwd?: string; base?: GatewayConfigInput } = {},
): TestService {
  let now = nowMs;
  let config = GatewayConfig.parse({ ...opts.base, alerts });
  const registry = new Registry();
  const metrics = new AlertMetrics(registry);
  const service = new AlertService({
    db: store.db,
    readDb: store.readDb,
    recommendationStore: store,
    config: () => config,
    logger: pino({ level: 'silent' }),
    metrics,
    now: () => now,
    ...(opts.replicaId ? { replicaId: opts.replicaId } : {}),
    ...(opts.openBreakers ? { openBreakers: opts.openBreakers } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  started.add(service);
  return {
    service,
    metrics,
    registry,
    setNow: (ms) => (now = ms),
    setConfig: (a) => (config = GatewayConfig.parse({ ...opts.base, alerts: a })),
  };
}
