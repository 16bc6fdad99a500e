import type { AlertEventKind, AlertFix, AlertPayload, AlertState } from './types.ts';
import { newEventId } from './alert-store.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The generic webhook body of a state transition (docs/alerts.md). */
export function alertPayload(
  event: Extract<AlertEventKind, 'firing' | 'escalated' | 'resolved'>,
  s: AlertState,
  fix: AlertFix | null,
  replica: string,
  nowMs: number,
): AlertPayload {
  const window = s.details.window as { fromMs?: number; toMs?: number } | undefined;
  const { window: _w, ...details } = s.details;
  return {
    version: 1,
    event,
    event_id: newEventId(),
    sent_at: new Date(nowMs).toISOString(),
    alert: {
      rule_id: s.ruleId,
      kind: s.kind,
      subject: s.subject,
      severity: s.severity,
      status: event === 'resolved' ? 'resolved' : 'firing',
      message: s.message,
      value: s.value,
      threshold: s.threshold,
      level: s.level,
      window:
        window?.fromMs !== undefined && window.toMs !== undefined
          ? { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() }
          : null,
      started_at: iso(s.startedAt),
      resolved_at: iso(s.resolvedAt),
      details,
    },
    fix,
    gateway: { replica },
  };
}

const EMOJI = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' } as const;

function fixLines(fix: AlertFix): string[] {
  const lines: string[] = [];
  const drivers = fix.top_cost_drivers;
  if (drivers) {
    const top = (items: unknown[], key: string) =>
      (items as Record<string, unknown>[])
        .slice(0, 3)
        .map((x) => `${String(x[key])} $${Number(x.cost_usd).toFixed(4)} (${(Number(x.share) * 100).toFixed(0)}%)`)
        .join(', ');
    lines.push(
      `*Top cost drivers* — models: ${top(drivers.models, 'model') || 'n/a'}; keys: ${top(drivers.keys, 'key_id') || 'n/a'}; task types: ${top(drivers.task_types, 'task_type') || 'n/a'}`,
    );
  }
  if (fix.bottlenecks) {
    const spikes = (fix.bottlenecks.latency_spikes as { model: string; hour_start: string; ratio: number }[]).slice(0, 3);
    const bursts = (fix.bottlenecks.error_bursts as { minute_start: string; error_rate: number }[]).slice(0, 3);
    lines.push(
      `*Bottlenecks* — latency spikes: ${spikes.map((s) => `${s.model} at ${s.hour_start} ×${s.ratio}`).join(', ') || 'none'}; error bursts: ${bursts.map((b) => `${b.minute_start} ${(b.error_rate * 100).toFixed(0)}%`).join(', ') || 'none'}`,
    );
  }
  for (const r of fix.recommendations) {
    lines.push(
      `• ${r.title} (cost ${r.expected_cost_change_pct >= 0 ? '+' : ''}${r.expected_cost_change_pct.toFixed(1)}%, confidence ${r.confidence}): \`${r.apply}\``,
    );
  }
  if (fix.notes.length) lines.push(`_${fix.notes.join(' ')}_`);
  return lines;
}

/** The same event as a Slack-compatible incoming-webhook message (`text` plus mrkdwn blocks). */
export function slackMessage(p: AlertPayload): { text: string; blocks: unknown[] } {
  const a = p.alert;
  const head =
    p.event === 'resolved'
      ? ':white_check_mark: Resolved'
      : p.event === 'review'
        ? ':bar_chart: Routing review'
        : `${EMOJI[a.severity]} ${a.severity.toUpperCase()}`;
  const text = `${head}: ${a.message}`;
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  const context = [a.rule_id && `rule \`${a.rule_id}\``, a.subject && `subject \`${a.subject}\``, a.window && `window ${a.window.from} – ${a.window.to}`]
    .filter(Boolean)
    .join(' · ');
  if (context) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  if (p.fix) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fixLines(p.fix).join('\n') } });
  if (p.review) {
    const s = p.review.summary;
    const lines = Object.entries(s).map(([k, v]) => `*${k.replaceAll('_', ' ')}*: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    if (p.review.report_paths.length) lines.push(`Full report: ${p.review.report_paths.join(', ')}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  }
  return { text, blocks };
}
