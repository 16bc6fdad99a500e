import { randomUUID } from 'node:crypto';
import { buildReport } from '../../analytics/report/build-report.ts';
import { renderReport } from '../../analytics/report/render-report.ts';
import { KyselyStore } from '../../store/kysely-store.ts';
import { configuredStoreOptions, openStore } from '../../store/open-store.ts';
import type { FeedbackRow } from '../../store/types.ts';
import { simOutcome } from '../../sim/answer.ts';
import { DEFAULT_FLEET } from '../../sim/fleet.ts';
import { classifySimTaskType } from '../../sim/task-type.ts';
import { servedConfig } from '../configured-store-context.ts';
import { readConfig } from '../../gateway/resolve-config.ts';
import type { DemoPrompt } from './prompts.ts';
import type { DemoRequestResult } from './send-demo-request.ts';

/** The seed the demo's simulated fleet runs with (startSim's default), so outcomes here match its answers. */
const DEMO_SIM_SEED = 0;

function lastUserText(prompt: DemoPrompt): string {
  const users = prompt.messages.filter((m) => m.role === 'user');
  return users[users.length - 1]?.content ?? '';
}

/**
 * The quality signal of each simulated answer: the same deterministic draw the simulated fleet made
 * for it (`x-sim-outcome`), recomputed from the prompt and the model that answered, as feedback
 * source `sim-outcome` (1 good, 0 bad).
 */
export function simOutcomeFeedback(results: readonly DemoRequestResult[], prompts: readonly DemoPrompt[], nowMs: number): FeedbackRow[] {
  const byId = new Map(prompts.map((p) => [p.id, p]));
  return results.flatMap((r) => {
    const prompt = byId.get(r.promptId);
    if (!r.simulated || r.status !== 200 || !r.requestId || !r.modelUsed || !prompt) return [];
    const text = lastUserText(prompt);
    const good = simOutcome(r.modelUsed, text, classifySimTaskType(text), DEFAULT_FLEET, DEMO_SIM_SEED);
    return [{ id: randomUUID(), request_id: r.requestId, source: 'sim-outcome', score: good ? 1 : 0, comment: null, created_at: nowMs }];
  });
}

/** Records the outcomes as feedback in the store the demo gateway wrote to and renders the report over the last 24h. */
export async function demoReportMarkdown(
  cwd: string,
  configPath: string | undefined,
  results: readonly DemoRequestResult[],
  prompts: readonly DemoPrompt[],
  storeDir: string,
): Promise<{ markdown: string; feedback: number }> {
  const env = { ...process.env, AIGW_STORE_DIR: storeDir };
  const { config } = readConfig(cwd, configPath);
  const store = await openStore(configuredStoreOptions(cwd, config.store, env));
  try {
    const nowMs = Date.now();
    const feedback = simOutcomeFeedback(results, prompts, nowMs);
    for (const row of feedback) await store.upsertFeedback(row);
    if (!(store instanceof KyselyStore)) throw new Error('the store has no SQL access for the report');
    // Stored, so `aigw rules apply ID` from the printed report works in this directory.
    const doc = await buildReport(
      store.readDb,
      { timeframe: '24h' },
      { goal: 'balanced', targetReduction: 0.2, config: servedConfig(cwd, configPath), persistTo: store },
      nowMs + 1,
    );
    return { markdown: renderReport(doc, 'md'), feedback: feedback.length };
  } finally {
    await store.close();
  }
}
