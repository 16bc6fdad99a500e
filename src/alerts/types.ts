import type { AlertRule, Severity } from '../config/alerts-schema.ts';

/** A rule with its id filled in (withRuleId). */
export type IdentifiedRule = AlertRule & { id: string };

/**
 * What one rule found for one subject (a model, a key's daily budget, a model × task type, `total`) in
 * one evaluation. `insufficient`: too little data to judge, said in `message`, never notified.
 */
export interface Observation {
  subject: string;
  status: 'firing' | 'ok' | 'insufficient';
  /** Escalation within the rule (the budget share crossed, e.g. 0.8); 1 for rules without levels. A rise re-notifies. */
  level: number;
  /** The measured number and the one it was held against, in the rule's unit (USD, share, ms, quality). */
  value: number | null;
  threshold: number | null;
  message: string;
  /** The window the value was measured over (epoch ms). */
  window: { fromMs: number; toMs: number };
  /** Rule-specific facts (baseline, sample size, model, key…) carried into the state row and the payload. */
  details: Record<string, unknown>;
}

/** A row of alert_states, decoded. */
export interface AlertState {
  ruleId: string;
  subject: string;
  kind: AlertRule['kind'];
  state: 'firing' | 'resolved' | 'insufficient';
  severity: Severity;
  level: number;
  value: number | null;
  threshold: number | null;
  message: string;
  details: Record<string, unknown>;
  startedAt: number;
  updatedAt: number;
  resolvedAt: number | null;
  notifiedLevel: number | null;
  lastNotifiedAt: number | null;
}

export type AlertEventKind = 'firing' | 'escalated' | 'resolved' | 'test' | 'review' | 'delivery_failed';

/** The optimization analysis that comes with a cost or latency alert (null fields: not computed, see `error`). */
export interface AlertFix {
  window: { from: string; to: string };
  computed_in_ms: number;
  top_cost_drivers: { keys: unknown[]; models: unknown[]; task_types: unknown[] } | null;
  bottlenecks: { latency_spikes: unknown[]; error_bursts: unknown[] } | null;
  recommendations: {
    id: string;
    title: string;
    change: string;
    expected_cost_change_pct: number;
    expected_quality_after: number | null;
    confidence: string;
    apply: string;
  }[];
  recommendation_window: { from: string; to: string; goal: string } | null;
  /** Why part of the fix is missing (time budget exceeded, too little history). */
  notes: string[];
}

/** The generic webhook body (docs/alerts.md documents every field). */
export interface AlertPayload {
  version: 1;
  event: AlertEventKind;
  event_id: string;
  sent_at: string;
  alert: {
    rule_id: string | null;
    kind: string | null;
    subject: string | null;
    severity: Severity;
    status: 'firing' | 'resolved' | 'test' | 'review' | 'delivery_failed';
    message: string;
    value: number | null;
    threshold: number | null;
    level: number | null;
    window: { from: string; to: string } | null;
    started_at: string | null;
    resolved_at: string | null;
    details: Record<string, unknown>;
  };
  fix: AlertFix | null;
  /** For a review: the report's executive summary and where the full report was written. */
  review?: { id: string; summary: Record<string, unknown>; report_paths: string[] };
  gateway: { replica: string };
}
