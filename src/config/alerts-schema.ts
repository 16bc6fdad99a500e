import { z } from 'zod';
import { Goal } from './enums.ts';

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `15m`, `1h`, `7d` (or a number of ms) → milliseconds. */
export const Duration = z.union([z.int().positive(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: write e.g. 30s, 15m, 1h or 7d` });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * DURATION_UNITS_MS[m[2] as keyof typeof DURATION_UNITS_MS]);
});

export const Severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof Severity>;

/** What every rule has: how long it looks back, how much data it needs, how often it may re-notify, how loud it is. */
const ruleBase = {
  /** Stable name of the rule (alert history and the state table key on it); default: the kind. */
  id: z
    .string()
    .regex(/^[a-z0-9_.-]+$/i)
    .optional(),
  enabled: z.boolean().default(true),
  severity: Severity.default('warning'),
  /** Shortest time between two notifications of the same alert (a re-fire after a resolve waits for it too). */
  cooldown: Duration.prefault('1h'),
};

const CostSpikeRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('cost_spike'),
  /** The spend measured: the last hour (`1h`) or day (`24h`), say. */
  window: Duration.prefault('1h'),
  /** Alert when the window's spend exceeds this many USD (off when unset). */
  max_usd: z.number().positive().optional(),
  /** Alert when the window's spend exceeds this many times the trailing baseline's average per window. */
  factor: z.number().min(1).default(3),
  /** The trailing period (before the window) whose average spend per window is the baseline. */
  baseline: Duration.prefault('7d'),
  /** Fewest requests in the window to judge it. */
  min_sample: z.int().nonnegative().default(20),
  /** Also ignore spikes smaller than this many USD over the baseline (a $0.002 → $0.01 hour is no news). */
  min_usd: z.number().nonnegative().default(0.1),
});

const BudgetRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('budget'),
  /** Utilization levels that notify, as fractions of the budget. */
  thresholds: z.array(z.number().positive().max(10)).min(1).default([0.5, 0.8, 1]),
  /** Team budgets (keys carry their own in `aigw keys`): team → daily and/or monthly USD. */
  teams: z.record(z.string(), z.strictObject({ daily_usd: z.number().positive().optional(), monthly_usd: z.number().positive().optional() })).default({}),
  min_sample: z.int().nonnegative().default(0),
});

const QualityRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('quality'),
  window: Duration.prefault('24h'),
  /** A model × task type averaging below this quality (0–1) fires; default `routing.default_min_quality`. */
  quality_threshold: z.number().min(0).max(1).optional(),
  /** Fewest rated requests of a model × task type to judge it (fewer: reported as too few, never fired). */
  min_sample: z.int().positive().default(20),
});

const ErrorRateRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('error_rate'),
  window: Duration.prefault('15m'),
  /** Share of a model's requests answered with a server error (status ≥ 500) above which it fires. */
  max_rate: z.number().min(0).max(1).default(0.05),
  /** Also fire above this many times the model's rate over the baseline (unset: threshold only). */
  factor: z.number().min(1).optional(),
  baseline: Duration.prefault('24h'),
  min_sample: z.int().positive().default(20),
});

const LatencyRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('latency_p95'),
  window: Duration.prefault('15m'),
  /** A model's p95 request latency above this many ms fires (unset: baseline only). */
  max_ms: z.number().positive().optional(),
  /** Fires above this many times the model's p95 over the baseline. */
  factor: z.number().min(1).default(2),
  baseline: Duration.prefault('24h'),
  min_sample: z.int().positive().default(20),
});

const BreakerRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('breaker_open'),
  /** A model's circuit breaker open (or probing) on any replica at least this long fires. */
  open_for: Duration.prefault('5m'),
  severity: Severity.default('critical'),
  min_sample: z.int().nonnegative().default(0),
});

const RouterLearningRule = z.strictObject({
  ...ruleBase,
  kind: z.literal('router_learning'),
  /** Mean outcome score of the routed answers scored over the window… */
  window: Duration.prefault('24h'),
  /** …against the baseline before it: fires when it fell by more than `max_drop`. */
  baseline: Duration.prefault('7d'),
  max_drop: z.number().positive().max(1).default(0.1),
  /** Fires when this many outcomes have waited longer than `max_state_age` for a refit (the learning loop stalled). */
  max_state_age: Duration.prefault('6h'),
  min_sample: z.int().positive().default(50),
});

export const AlertRule = z.discriminatedUnion('kind', [CostSpikeRule, BudgetRule, QualityRule, ErrorRateRule, LatencyRule, BreakerRule, RouterLearningRule]);
export type AlertRule = z.infer<typeof AlertRule>;

const destinationBase = {
  id: z
    .string()
    .regex(/^[a-z0-9_.-]+$/i)
    .optional(),
  /** Lowest severity sent to this destination. */
  min_severity: Severity.default('info'),
};

const WebhookDestination = z.strictObject({
  ...destinationBase,
  type: z.literal('webhook'),
  url: z.url(),
  /** `generic`: the documented JSON body (docs/alerts.md); `slack`: a Slack-compatible incoming-webhook message. */
  format: z.enum(['generic', 'slack']).default('generic'),
  /** Extra headers (e.g. Authorization) — values may name an environment variable as `env:NAME`. */
  headers: z.record(z.string(), z.string()).default({}),
  timeout_ms: z.int().positive().default(5_000),
  /** Attempts per notification, with exponential backoff between them. */
  max_attempts: z.int().positive().max(10).default(4),
  backoff_ms: z.int().positive().default(1_000),
});

const LogDestination = z.strictObject({ ...destinationBase, type: z.literal('log') });

export const AlertDestination = z.discriminatedUnion('type', [WebhookDestination, LogDestination]);
export type AlertDestination = z.infer<typeof AlertDestination>;

export const ReviewSchedule = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9_.-]+$/i)
    .optional(),
  /** How often the review runs. */
  every: Duration.prefault('7d'),
  /** The window the report covers, ending at the run. */
  timeframe: z.enum(['1h', '24h', '7d', '30d']).default('7d'),
  goal: Goal.default('balanced'),
  format: z.enum(['md', 'json', 'html']).default('md'),
  /** Where the report goes: `dir:<path>` writes the file there; a destination id posts its executive summary. */
  to: z.array(z.string().min(1)).min(1),
});
export type ReviewSchedule = z.infer<typeof ReviewSchedule>;

export const DEFAULT_ALERT_RULES: AlertRule[] = [
  AlertRule.parse({ kind: 'cost_spike', id: 'cost_spike_hourly' }),
  AlertRule.parse({ kind: 'cost_spike', id: 'cost_spike_daily', window: '24h', factor: 2, baseline: '7d', min_usd: 1 }),
  AlertRule.parse({ kind: 'budget' }),
  AlertRule.parse({ kind: 'quality' }),
  AlertRule.parse({ kind: 'error_rate' }),
  AlertRule.parse({ kind: 'latency_p95' }),
  AlertRule.parse({ kind: 'breaker_open' }),
  AlertRule.parse({ kind: 'router_learning' }),
];

/**
 * Alerts and scheduled reviews (docs/alerts.md). Rules are evaluated only while at least one
 * destination is configured: with none, nothing runs and nothing is stored.
 */
export const AlertsConfig = z
  .strictObject({
    /** How often the rules are evaluated (by one replica at a time). */
    interval: Duration.prefault('1m'),
    destinations: z.array(AlertDestination).default([]),
    /** The rules; default: one of each kind (DEFAULT_ALERT_RULES). A list given here replaces the defaults. */
    rules: z.array(AlertRule).default(DEFAULT_ALERT_RULES),
    /**
     * Longest the optimization analysis attached to a cost or latency alert may take before the alert is
     * sent without the parts not done: the report's time budget (5 s, bench/lib/analytics-results.ts).
     */
    fix_timeout: Duration.prefault('5s'),
    reviews: z.array(ReviewSchedule).default([]),
  })
  .superRefine((c, ctx) => {
    const ids = (items: readonly { id: string }[], what: string) => {
      const seen = new Set<string>();
      for (const { id } of items) {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `two ${what} have the id "${id}": give each its own \`id\`` });
        seen.add(id);
      }
    };
    ids(c.rules.map(withRuleId), 'alert rules');
    ids(c.destinations.map(withDestinationId), 'alert destinations');
    ids(c.reviews.map(withReviewId), 'reviews');
    const destinationIds = new Set(c.destinations.map((d) => withDestinationId(d).id));
    for (const r of c.reviews) {
      for (const to of r.to) {
        if (!to.startsWith('dir:') && !destinationIds.has(to))
          ctx.addIssue({ code: 'custom', message: `review sends to "${to}": neither \`dir:<path>\` nor the id of an alert destination` });
      }
    }
  });
export type AlertsConfig = z.infer<typeof AlertsConfig>;

/** A rule's id: its own, else its kind. */
export function withRuleId<R extends AlertRule>(rule: R): R & { id: string } {
  return { ...rule, id: rule.id ?? rule.kind };
}

/** A destination's id: its own, else its type (`webhook`, `log`). */
export function withDestinationId<D extends AlertDestination>(d: D): D & { id: string } {
  return { ...d, id: d.id ?? d.type };
}

/** A review's id: its own, else `review-<every>-<timeframe>`. */
export function withReviewId(r: ReviewSchedule): ReviewSchedule & { id: string } {
  return { ...r, id: r.id ?? `review-${r.every}ms-${r.timeframe}` };
}
