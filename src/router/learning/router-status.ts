import type { GatewayConfig } from '../../config/schema.ts';
import type { LearningStore, OutcomeCount } from '../../store/learning-store.ts';
import { LearnedState } from './learned-state.ts';
import { liveBase } from './retrain.ts';

export interface RouterStatus {
  liveVersion: string;
  /** The promoted router model, when one replaced the configured file. */
  promotedModel: { id: string; version: string; promotedAtMs: number | null } | null;
  learning: { enabled: boolean; exploreShare: number };
  /** The newest learned state in the store (every replica serves it within `poll_seconds`). */
  state: { id: number; baseVersion: string; createdAtMs: number; outcomes: number; appliesToLive: boolean } | null;
  /** Per model and task type: outcomes, mean score, explored share, and the learned ability shift. */
  outcomes: Array<OutcomeCount & { abilityShift: number | null; abilitySd: number | null }>;
  evaluations: Array<{ id: string; createdAtMs: number; version: string; status: string; reason: string; heldOutRows: number | null }>;
}

/** What `aigw router status`, the MCP tool and the report's Monitoring section show. */
export async function routerStatus(store: LearningStore, config: GatewayConfig): Promise<RouterStatus> {
  const base = await liveBase(store, config);
  const live = await store.liveRouterModel();
  const latest = await store.latestState();
  const parsed = latest ? LearnedState.safeParse(JSON.parse(latest.state)) : null;
  const state = parsed?.success ? parsed.data : null;
  const appliesToLive = state !== null && state.baseVersion === base.version;
  const counts = await store.outcomeCounts();
  const evaluations = await store.recentRouterModels(10);
  return {
    liveVersion: appliesToLive && state.id > 0 ? `${base.version}+ls${state.id}` : base.version,
    promotedModel: live ? { id: live.id, version: live.version, promotedAtMs: live.promoted_at } : null,
    learning: { enabled: config.routing.learning.enabled, exploreShare: config.routing.learning.explore_share },
    state: state && latest ? { id: state.id, baseVersion: state.baseVersion, createdAtMs: state.createdAtMs, outcomes: state.outcomes, appliesToLive } : null,
    outcomes: counts.map((c) => {
      const task = appliesToLive ? state.models[c.model]?.tasks[c.task_type] : undefined;
      return { ...c, abilityShift: task?.shift ?? null, abilitySd: task ? 1 / Math.sqrt(task.precision) : null };
    }),
    evaluations: evaluations.map((e) => {
      let heldOutRows: number | null;
      try {
        heldOutRows = (JSON.parse(e.evaluation) as { heldOutRows?: number }).heldOutRows ?? null;
      } catch {
        heldOutRows = null;
      }
      return { id: e.id, createdAtMs: e.created_at, version: e.version, status: e.status, reason: e.reason, heldOutRows };
    }),
  };
}

function fixed(x: number | null, digits: number): string {
  return x === null ? '—' : x.toFixed(digits);
}

export function formatRouterStatus(s: RouterStatus): string {
  const lines: string[] = [];
  lines.push(`live router: ${s.liveVersion}${s.promotedModel ? ` (promoted ${s.promotedModel.id})` : ' (configured model file)'}`);
  lines.push(`learning: ${s.learning.enabled ? 'on' : 'off'}, explore_share ${s.learning.exploreShare}`);
  lines.push(
    s.state
      ? `learned state ${s.state.id}: ${s.state.outcomes} outcomes, fitted ${new Date(s.state.createdAtMs).toISOString()}${s.state.appliesToLive ? '' : ' (fitted on another base: refit pending)'}`
      : 'learned state: none yet (models serve at their priors)',
  );
  lines.push('');
  lines.push('model                          task type       outcomes  mean score  explored  ability shift (± sd)');
  for (const o of s.outcomes) {
    lines.push(
      `${o.model.padEnd(30)} ${o.task_type.padEnd(15)} ${String(o.outcomes).padStart(8)}  ${o.mean_score.toFixed(3).padStart(10)}  ${String(o.explored).padStart(8)}  ${fixed(o.abilityShift, 3)} (± ${fixed(o.abilitySd, 3)})`,
    );
  }
  if (s.outcomes.length === 0) lines.push('(no scored outcomes yet)');
  lines.push('');
  lines.push('recent router evaluations (aigw router train --from-store):');
  for (const e of s.evaluations) lines.push(`${new Date(e.createdAtMs).toISOString()}  ${e.status.padEnd(9)} ${e.version}  ${e.reason}`);
  if (s.evaluations.length === 0) lines.push('(none)');
  return lines.join('\n');
}
