import type { Kysely } from 'kysely';
import { activeAlerts } from '../../alerts/active-alerts.ts';
import type { GatewayConfig } from '../../config/schema.ts';
import { routerStatus, type RouterStatus } from '../../router/learning/router-status.ts';
import { LearningStore } from '../../store/learning-store.ts';
import type { Database } from '../../store/schema.ts';
import type { AlertStatus, MonitoringStatus, RouterLearningStatus } from './report-document.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The learned state in words, as `aigw router status` prints it. */
function learnedStateOf(s: RouterStatus): string {
  if (!s.state) return 'none yet (models serve at their priors)';
  const pending = s.state.appliesToLive ? '' : ' (fitted on another base: refit pending)';
  return `state ${s.state.id}: ${s.state.outcomes.toLocaleString('en-US')} outcomes, fitted ${iso(s.state.createdAtMs)}${pending}`;
}

/** `aigw router status` (routerStatus, shared with the CLI and the MCP tool get_router_status) in the report's shape. */
export function routerSectionOf(s: RouterStatus): RouterLearningStatus {
  return {
    live_version: s.liveVersion,
    promoted_model: s.promotedModel?.id ?? null,
    learning_enabled: s.learning.enabled,
    explore_share: s.learning.exploreShare,
    learned_state: learnedStateOf(s),
    outcomes: s.outcomes.map((o) => ({ model: o.model, task_type: o.task_type, outcomes: o.outcomes, mean_score: o.mean_score, explored: o.explored })),
    evaluations: s.evaluations.map((e) => ({ at: iso(e.createdAtMs), version: e.version, status: e.status, reason: e.reason })),
  };
}

async function alertSectionOf(db: Kysely<Database>): Promise<AlertStatus> {
  const a = await activeAlerts(db);
  return {
    firing: a.firing.map((f) => ({ rule_id: f.rule_id, subject: f.subject, severity: f.severity, message: f.message, since: f.started_at ?? '' })),
    insufficient_data: a.insufficient_data.length,
    failing_destinations: a.failing_destinations.map((d) => `${d.destination}${d.error ? ` (${d.error})` : ''}`),
  };
}

/** The router's learning status and the alert states, read from the store every replica shares. */
export async function monitoringStatusOf(db: Kysely<Database>, config: GatewayConfig): Promise<MonitoringStatus> {
  const [router, alerts] = await Promise.all([routerStatus(new LearningStore(db), config), alertSectionOf(db)]);
  return { router: routerSectionOf(router), alerts };
}
