import { openStore } from '../../src/store/open-store.ts';

/** The columns of a request row the overhead benchmark reads back. */
export interface GatewayRequestRow {
  created_at: number;
  overhead_ms: number;
  latency_ms: number;
  model_requested: string;
  model_used: string | null;
  status: number;
  stream: boolean;
}

/** Every request row the gateway logged in its embedded store at `storeDir` (read after it exited). */
export async function readGatewayRequestRows(storeDir: string): Promise<GatewayRequestRow[]> {
  const store = await openStore({ dir: storeDir });
  try {
    const rows = await store.db
      .selectFrom('requests')
      .select(['created_at', 'overhead_ms', 'latency_ms', 'model_requested', 'model_used', 'status', 'stream'])
      .execute();
    return rows.map((r) => ({ ...r, created_at: Number(r.created_at), stream: r.stream === 1 }));
  } finally {
    await store.close();
  }
}

export interface RowWindow {
  startedAtMs: number;
  endedAtMs: number;
  modelRequested: string;
  stream: boolean;
}

/** The rows of one load run: started inside its wall-clock window, for its model and mode. */
export function rowsInWindow(rows: readonly GatewayRequestRow[], w: RowWindow): GatewayRequestRow[] {
  return rows.filter((r) => r.created_at >= w.startedAtMs && r.created_at <= w.endedAtMs && r.model_requested === w.modelRequested && r.stream === w.stream);
}

/** How many rows each model answered (the router's choices, for `auto`). */
export function countByModelUsed(rows: readonly GatewayRequestRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) {
    const key = r.model_used ?? 'none';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
