import type { Command } from 'commander';
import pino from 'pino';
import { activeAlerts } from '../alerts/active-alerts.ts';
import { listEvents, newEventId } from '../alerts/alert-store.ts';
import { AlertDeliverer, destinationsFor } from '../alerts/deliver.ts';
import { durationText } from '../alerts/rules/rule-context.ts';
import { evaluateRule } from '../alerts/rules/evaluate-rule.ts';
import type { AlertPayload } from '../alerts/types.ts';
import { withDestinationId, withRuleId, type AlertRule } from '../config/alerts-schema.ts';
import { lazyConfiguredStoreContext } from './configured-store-context.ts';
import { printTable } from './print-table.ts';

/** The rule's knobs in one short line (window, thresholds) for `aigw alerts list`. */
function ruleSummary(r: AlertRule): string {
  const parts: string[] = [];
  if ('window' in r) parts.push(`window ${durationText(r.window)}`);
  if ('baseline' in r && 'factor' in r && r.factor !== undefined) parts.push(`${r.factor}× the ${durationText(r.baseline)} baseline`);
  if (r.kind === 'cost_spike' && r.max_usd !== undefined) parts.push(`over $${r.max_usd}`);
  if (r.kind === 'error_rate') parts.push(`rate > ${r.max_rate}`);
  if (r.kind === 'latency_p95' && r.max_ms !== undefined) parts.push(`p95 > ${r.max_ms} ms`);
  if (r.kind === 'budget') parts.push(`at ${r.thresholds.map((t) => `${t * 100}%`).join('/')}`);
  if (r.kind === 'quality') parts.push(`below ${r.quality_threshold ?? 'routing.default_min_quality'}`);
  if (r.kind === 'breaker_open') parts.push(`open ≥ ${durationText(r.open_for)}`);
  parts.push(`min sample ${r.min_sample}`, `cooldown ${durationText(r.cooldown)}`);
  return parts.join(', ');
}

/** A sample event for `aigw alerts test`: marked as a test everywhere it shows. */
export function testPayload(nowMs: number): AlertPayload {
  return {
    version: 1,
    event: 'test',
    event_id: newEventId(),
    sent_at: new Date(nowMs).toISOString(),
    alert: {
      rule_id: null,
      kind: null,
      subject: 'test',
      severity: 'info',
      status: 'test',
      message: 'Test alert from `aigw alerts test`: this destination receives aigw alerts.',
      value: null,
      threshold: null,
      level: null,
      window: null,
      started_at: null,
      resolved_at: null,
      details: {},
    },
    fix: null,
    gateway: { replica: 'aigw-cli' },
  };
}

export function registerAlertsCommands(program: Command): void {
  const alerts = program.command('alerts').description('alert rules, their state and their history (docs/alerts.md)');
  const contextOf = () => lazyConfiguredStoreContext(process.cwd(), program.opts<{ config?: string }>().config);

  alerts
    .command('list')
    .description('the configured rules and destinations, the alerts firing now, and the checks with too little data')
    .option('--check', 'also evaluate every rule now against the store (sends nothing, changes no state)')
    .option('--json', 'print JSON')
    .action(async (opts: { check?: boolean; json?: boolean }) => {
      const ctx = contextOf();
      try {
        const cfg = ctx.config();
        const store = await ctx.store();
        const active = await activeAlerts(store.db);
        const rules = cfg.alerts.rules.map(withRuleId);
        const checks = opts.check
          ? await Promise.all(
              rules
                .filter((r) => r.enabled)
                .map(async (r) => ({
                  rule: r.id,
                  observations: await evaluateRule(
                    { db: store.readDb, nowMs: Date.now(), config: cfg, breakerReportsSinceMs: Date.now() - 3 * cfg.alerts.interval },
                    r,
                  ),
                })),
            )
          : undefined;
        if (opts.json) {
          console.log(
            JSON.stringify(
              {
                evaluating: cfg.alerts.destinations.length > 0,
                rules,
                destinations: cfg.alerts.destinations.map(withDestinationId),
                ...active,
                ...(checks ? { checks } : {}),
              },
              null,
              2,
            ),
          );
          return;
        }
        if (cfg.alerts.destinations.length === 0) console.log('Alerts are off: no destination in alerts.destinations (the rules below are not evaluated).\n');
        printTable(
          ['rule', 'kind', 'severity', 'enabled', 'settings'],
          rules.map((r) => [r.id, r.kind, r.severity, r.enabled ? 'yes' : 'no', ruleSummary(r)]),
        );
        console.log(
          `\nDestinations: ${cfg.alerts.destinations.map((d) => `${withDestinationId(d).id} (${d.type === 'webhook' ? `${d.format} webhook` : 'log'})`).join(', ') || 'none'}`,
        );
        console.log(`\nFiring (${active.firing.length}):`);
        for (const a of active.firing) console.log(`  [${a.severity}] ${a.rule_id} ${a.subject}: ${a.message} (since ${a.started_at})`);
        if (active.insufficient_data.length) {
          console.log(`\nToo little data to judge (${active.insufficient_data.length}):`);
          for (const a of active.insufficient_data) console.log(`  ${a.rule_id} ${a.subject}: ${a.message}`);
        }
        for (const f of active.failing_destinations) console.log(`\nDestination ${f.destination} is failing: ${f.error ?? 'unknown error'} (last at ${f.at})`);
        for (const c of checks ?? []) {
          console.log(`\nCheck ${c.rule} now:`);
          for (const o of c.observations) console.log(`  ${o.status.padEnd(12)} ${o.message}`);
          if (c.observations.length === 0) console.log('  nothing to measure in its window');
        }
      } finally {
        await ctx.close();
      }
    });

  alerts
    .command('test')
    .description('send a sample alert to every destination (or one) and report what each answered')
    .option('--destination <id>', 'only this destination')
    .action(async (opts: { destination?: string }) => {
      const ctx = contextOf();
      try {
        const cfg = ctx.config();
        const store = await ctx.store();
        const targets = destinationsFor(cfg.alerts.destinations, 'critical').filter((d) => opts.destination === undefined || d.id === opts.destination);
        if (targets.length === 0) {
          console.error(
            opts.destination ? `no alert destination "${opts.destination}" in the config` : 'no alert destination configured (alerts.destinations)',
          );
          process.exitCode = 1;
          return;
        }
        const deliverer = new AlertDeliverer({ db: store.db, logger: pino({ level: 'info' }, pino.destination(2)), replica: 'aigw-cli' });
        const payload = testPayload(Date.now());
        const { delivered } = await deliverer.send(payload, targets);
        await delivered;
        const [event] = (await listEvents(store.db, 20)).filter((e) => e.id === payload.event_id);
        printTable(
          ['destination', 'status', 'attempts', 'error'],
          (event?.deliveries ?? []).map((d) => [d.destinationId, d.status, String(d.attempts), d.lastError ?? '']),
        );
        if (event?.deliveries.some((d) => d.status !== 'sent')) process.exitCode = 1;
      } finally {
        await ctx.close();
      }
    });

  alerts
    .command('history')
    .description('alerts sent (fired, escalated, resolved, tests, reviews, failed deliveries), newest first')
    .option('--limit <n>', 'how many events', '30')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const ctx = contextOf();
      try {
        const events = await listEvents((await ctx.store()).db, Math.max(1, Number.parseInt(opts.limit, 10) || 30));
        if (opts.json) {
          console.log(
            JSON.stringify(
              events.map(({ payload: _p, ...e }) => ({ ...e, at: new Date(e.createdAt).toISOString() })),
              null,
              2,
            ),
          );
          return;
        }
        printTable(
          ['at', 'event', 'severity', 'rule', 'subject', 'deliveries', 'message'],
          events.map((e) => [
            new Date(e.createdAt).toISOString(),
            e.event,
            e.severity,
            e.ruleId ?? '',
            e.subject ?? '',
            e.deliveries.map((d) => `${d.destinationId}:${d.status}${d.status === 'sent' ? '' : `(${d.attempts})`}`).join(' ') || '-',
            e.message,
          ]),
        );
      } finally {
        await ctx.close();
      }
    });
}
