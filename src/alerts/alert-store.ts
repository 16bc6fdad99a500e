import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { num, numOrNull } from '../analytics/request-window.ts';
import type { Severity } from '../config/alerts-schema.ts';
import type { Database } from '../store/schema.ts';
import type { AlertEventKind, AlertPayload, AlertState, IdentifiedRule, Observation } from './types.ts';

// The SQL of the alert tables (migration 0009). Every transition that leads to a notification is a
// conditional UPDATE: of two replicas (or a replica and its restarted self) evaluating the same data,
// only the one whose update matched a row sends.

type Db = Kysely<Database>;

const affected = (r: { numAffectedRows?: bigint }) => Number(r.numAffectedRows ?? 0);
const json = (v: unknown) => JSON.stringify(v);

function parseDetails(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string') return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

type StateRow = Record<string, unknown>;

function stateOf(r: StateRow): AlertState {
  return {
    ruleId: String(r.rule_id),
    subject: String(r.subject),
    kind: String(r.kind) as AlertState['kind'],
    state: String(r.state) as AlertState['state'],
    severity: String(r.severity) as Severity,
    level: num(r.level),
    value: numOrNull(r.value),
    threshold: numOrNull(r.threshold),
    message: String(r.message),
    details: parseDetails(r.details),
    startedAt: num(r.started_at),
    updatedAt: num(r.updated_at),
    resolvedAt: numOrNull(r.resolved_at),
    notifiedLevel: numOrNull(r.notified_level),
    lastNotifiedAt: numOrNull(r.last_notified_at),
  };
}

/** Alert states, firing first, then by severity and start. */
export async function readAlertStates(db: Db, states: readonly AlertState['state'][] = ['firing', 'resolved', 'insufficient']): Promise<AlertState[]> {
  const rows = await sql<StateRow>`select * from alert_states where state in (${sql.join([...states])}) order by started_at desc, rule_id, subject`.execute(db);
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return rows.rows.map(stateOf).sort((a, b) => Number(b.state === 'firing') - Number(a.state === 'firing') || rank[a.severity] - rank[b.severity]);
}

async function readState(db: Db, ruleId: string, subject: string): Promise<AlertState | undefined> {
  const rows = await sql<StateRow>`select * from alert_states where rule_id = ${ruleId} and subject = ${subject}`.execute(db);
  return rows.rows[0] ? stateOf(rows.rows[0]) : undefined;
}

/** What the state table says should be sent after an observation: nothing, or this event for this state. */
export interface Transition {
  event: Extract<AlertEventKind, 'firing' | 'escalated' | 'resolved'>;
  state: AlertState;
}

/** A firing observation: mark the alert firing and claim its notification (new, escalated, or past its cooldown after a resolve). */
async function applyFiring(db: Db, rule: IdentifiedRule, o: Observation, nowMs: number): Promise<Transition | null> {
  const before = await readState(db, rule.id, o.subject);
  const fields = { value: o.value, threshold: o.threshold, message: o.message, details: json({ ...o.details, window: o.window }) };
  if (!before) {
    await sql`insert into alert_states (rule_id, subject, kind, state, severity, level, value, threshold, message, details, started_at, updated_at)
      values (${rule.id}, ${o.subject}, ${rule.kind}, 'firing', ${rule.severity}, ${o.level}, ${fields.value}, ${fields.threshold}, ${fields.message}, ${fields.details}, ${nowMs}, ${nowMs})
      on conflict (rule_id, subject) do nothing`.execute(db);
  } else if (before.state !== 'firing') {
    await sql`update alert_states set state = 'firing', severity = ${rule.severity}, level = ${o.level}, value = ${fields.value}, threshold = ${fields.threshold},
      message = ${fields.message}, details = ${fields.details}, started_at = ${nowMs}, updated_at = ${nowMs}, resolved_at = null, notified_level = null
      where rule_id = ${rule.id} and subject = ${o.subject} and state = ${before.state} and updated_at = ${before.updatedAt}`.execute(db);
  } else {
    await sql`update alert_states set severity = ${rule.severity}, level = ${o.level}, value = ${fields.value}, threshold = ${fields.threshold},
      message = ${fields.message}, details = ${fields.details}, updated_at = ${nowMs}
      where rule_id = ${rule.id} and subject = ${o.subject} and state = 'firing'`.execute(db);
  }
  // New (never notified since it fired): wait out the cooldown since the last notification. Escalated: at once.
  const claimed = await sql`update alert_states set notified_level = ${o.level}, last_notified_at = ${nowMs}
    where rule_id = ${rule.id} and subject = ${o.subject} and state = 'firing' and level = ${o.level}
      and ((notified_level is null and (last_notified_at is null or last_notified_at <= ${nowMs - rule.cooldown})) or notified_level < ${o.level})`.execute(db);
  if (affected(claimed) !== 1) return null;
  const after = await readState(db, rule.id, o.subject);
  if (!after) return null;
  const wasNotified = before?.state === 'firing' && before.notifiedLevel !== null;
  return { event: wasNotified ? 'escalated' : 'firing', state: after };
}

/** The alert is no longer firing: resolve it; a resolve is sent only for an alert whose firing was sent. */
async function applyResolved(db: Db, ruleId: string, subject: string, message: string, nowMs: number, value: number | null = null): Promise<Transition | null> {
  const before = await readState(db, ruleId, subject);
  if (!before) return null;
  if (before.state === 'insufficient') {
    await sql`delete from alert_states where rule_id = ${ruleId} and subject = ${subject} and state = 'insufficient'`.execute(db);
    return null;
  }
  if (before.state !== 'firing') return null;
  const done =
    await sql`update alert_states set state = 'resolved', resolved_at = ${nowMs}, updated_at = ${nowMs}, message = ${message}, value = ${value}, notified_level = null
    where rule_id = ${ruleId} and subject = ${subject} and state = 'firing' and updated_at = ${before.updatedAt}`.execute(db);
  if (affected(done) !== 1 || before.notifiedLevel === null) return null;
  return { event: 'resolved', state: { ...before, state: 'resolved', resolvedAt: nowMs, updatedAt: nowMs, message, value } };
}

/** Too little data: say so in the table (a firing alert stays firing until the data says otherwise). */
async function applyInsufficient(db: Db, rule: IdentifiedRule, o: Observation, nowMs: number): Promise<void> {
  await sql`insert into alert_states (rule_id, subject, kind, state, severity, level, value, threshold, message, details, started_at, updated_at)
    values (${rule.id}, ${o.subject}, ${rule.kind}, 'insufficient', ${rule.severity}, ${o.level}, ${o.value}, ${o.threshold}, ${o.message}, ${json({ ...o.details, window: o.window })}, ${nowMs}, ${nowMs})
    on conflict (rule_id, subject) do update set value = excluded.value, threshold = excluded.threshold, message = excluded.message, details = excluded.details, updated_at = excluded.updated_at
    where alert_states.state <> 'firing'`.execute(db);
  await sql`update alert_states set state = 'insufficient', resolved_at = null where rule_id = ${rule.id} and subject = ${o.subject} and state = 'resolved'`.execute(
    db,
  );
}

/**
 * Applies one rule's observations to the state table and returns what to send. Subjects of the rule
 * that were not observed this time (a breaker that closed, a model without traffic) resolve.
 */
export async function applyObservations(db: Db, rule: IdentifiedRule, observations: readonly Observation[], nowMs: number): Promise<Transition[]> {
  const out: Transition[] = [];
  const seen = new Set<string>();
  for (const o of observations) {
    seen.add(o.subject);
    const t =
      o.status === 'firing'
        ? await applyFiring(db, rule, o, nowMs)
        : o.status === 'ok'
          ? await applyResolved(db, rule.id, o.subject, o.message, nowMs, o.value)
          : (await applyInsufficient(db, rule, o, nowMs), null);
    if (t) out.push(t);
  }
  const open = await sql<{ subject: string }>`select subject from alert_states where rule_id = ${rule.id} and state in ('firing', 'insufficient')`.execute(db);
  for (const { subject } of open.rows) {
    if (seen.has(subject)) continue;
    const t = await applyResolved(db, rule.id, subject, `${subject}: no longer measured by ${rule.id} (no data in the window)`, nowMs);
    if (t) out.push(t);
  }
  return out;
}

/** Alerts of rules no longer configured (or disabled) stop firing, silently: nobody asked about them any more. */
export async function retireRules(db: Db, activeRuleIds: readonly string[], nowMs: number): Promise<void> {
  const keep = activeRuleIds.length ? sql`and rule_id not in (${sql.join([...activeRuleIds])})` : sql``;
  await sql`update alert_states set state = 'resolved', resolved_at = ${nowMs}, updated_at = ${nowMs}, notified_level = null where state = 'firing' ${keep}`.execute(
    db,
  );
  await sql`delete from alert_states where state = 'insufficient' ${keep}`.execute(db);
}

export interface StoredEvent {
  id: string;
  createdAt: number;
  event: AlertEventKind;
  ruleId: string | null;
  subject: string | null;
  severity: Severity;
  message: string;
  payload: AlertPayload;
  deliveries: { destinationId: string; status: 'pending' | 'sent' | 'failed'; attempts: number; lastError: string | null; updatedAt: number }[];
}

export function newEventId(): string {
  return `alrt_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/** Records an event and a pending delivery per destination, in one transaction. */
export async function insertEvent(db: Db, payload: AlertPayload, destinationIds: readonly string[], nowMs: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`insert into alert_events (id, created_at, event, rule_id, subject, severity, message, payload)
      values (${payload.event_id}, ${nowMs}, ${payload.event}, ${payload.alert.rule_id}, ${payload.alert.subject}, ${payload.alert.severity}, ${payload.alert.message}, ${json(payload)})`.execute(
      tx,
    );
    for (const d of destinationIds) {
      await sql`insert into alert_deliveries (event_id, destination_id, status, attempts, updated_at) values (${payload.event_id}, ${d}, 'pending', 0, ${nowMs})`.execute(
        tx,
      );
    }
  });
}

export async function updateDelivery(
  db: Db,
  eventId: string,
  destinationId: string,
  status: 'pending' | 'sent' | 'failed',
  attempts: number,
  lastError: string | null,
  nowMs: number,
): Promise<void> {
  await sql`update alert_deliveries set status = ${status}, attempts = ${attempts}, last_error = ${lastError}, updated_at = ${nowMs}
    where event_id = ${eventId} and destination_id = ${destinationId}`.execute(db);
}

/** A nullable text column: a string from either store, or null. */
function textOrNull(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The newest events (and their deliveries), newest first. */
export async function listEvents(db: Db, limit = 50, sinceMs = 0): Promise<StoredEvent[]> {
  const rows = await sql<StateRow>`select * from alert_events where created_at >= ${sinceMs} order by created_at desc, id limit ${limit}`.execute(db);
  if (rows.rows.length === 0) return [];
  const ids = rows.rows.map((r) => String(r.id));
  const deliveries = await sql<StateRow>`select * from alert_deliveries where event_id in (${sql.join(ids)}) order by destination_id`.execute(db);
  return rows.rows.map((r) => ({
    id: String(r.id),
    createdAt: num(r.created_at),
    event: String(r.event) as AlertEventKind,
    ruleId: textOrNull(r.rule_id),
    subject: textOrNull(r.subject),
    severity: String(r.severity) as Severity,
    message: String(r.message),
    payload: parseDetails(r.payload) as unknown as AlertPayload,
    deliveries: deliveries.rows
      .filter((d) => d.event_id === r.id)
      .map((d) => ({
        destinationId: String(d.destination_id),
        status: String(d.status) as 'pending' | 'sent' | 'failed',
        attempts: num(d.attempts),
        lastError: textOrNull(d.last_error),
        updatedAt: num(d.updated_at),
      })),
  }));
}

/** Deliveries still pending long after they were queued: their sender died with its process (a restart). */
export async function staleDeliveries(db: Db, olderThanMs: number): Promise<{ eventId: string; destinationId: string; attempts: number }[]> {
  const rows =
    await sql<StateRow>`select event_id, destination_id, attempts from alert_deliveries where status = 'pending' and updated_at < ${olderThanMs} order by updated_at limit 100`.execute(
      db,
    );
  return rows.rows.map((r) => ({ eventId: String(r.event_id), destinationId: String(r.destination_id), attempts: num(r.attempts) }));
}

/** Claims a stale pending delivery for a resend (only one replica wins). */
export async function claimStaleDelivery(db: Db, eventId: string, destinationId: string, olderThanMs: number, nowMs: number): Promise<boolean> {
  const r =
    await sql`update alert_deliveries set updated_at = ${nowMs} where event_id = ${eventId} and destination_id = ${destinationId} and status = 'pending' and updated_at < ${olderThanMs}`.execute(
      db,
    );
  return affected(r) === 1;
}

export async function readEventPayload(db: Db, eventId: string): Promise<AlertPayload | undefined> {
  const rows = await sql<{ payload: unknown }>`select payload from alert_events where id = ${eventId}`.execute(db);
  return rows.rows[0] ? (parseDetails(rows.rows[0].payload) as unknown as AlertPayload) : undefined;
}

/**
 * Takes or renews lease `name` for `ttlMs` when it is free, expired or already ours. True: we hold it
 * until nowMs + ttlMs. The insert creates the row once; the conditional update is the claim.
 */
export async function tryLease(db: Db, name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
  await sql`insert into alert_leases (name, holder, expires_at) values (${name}, ${holder}, ${0}) on conflict (name) do nothing`.execute(db);
  const r =
    await sql`update alert_leases set holder = ${holder}, expires_at = ${nowMs + ttlMs} where name = ${name} and (holder = ${holder} or expires_at <= ${nowMs})`.execute(
      db,
    );
  return affected(r) === 1;
}

export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await sql`update alert_leases set expires_at = ${0} where name = ${name} and holder = ${holder}`.execute(db);
}

/** Replaces this replica's report of breakers that are not closed. */
export async function reportBreakers(db: Db, replicaId: string, open: readonly { model: string; openSinceMs: number }[], nowMs: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`delete from alert_breakers where replica_id = ${replicaId}`.execute(tx);
    for (const b of open) {
      await sql`insert into alert_breakers (replica_id, model, open_since, reported_at) values (${replicaId}, ${b.model}, ${b.openSinceMs}, ${nowMs})`.execute(
        tx,
      );
    }
  });
}

/** Per model, the earliest open-since among replicas that reported since `sinceMs`, and how many replicas. */
export async function readOpenBreakers(db: Db, sinceMs: number): Promise<{ model: string; openSinceMs: number; replicas: number }[]> {
  const rows =
    await sql<StateRow>`select model, min(open_since) as since, count(*) as n from alert_breakers where reported_at >= ${sinceMs} group by model order by model`.execute(
      db,
    );
  return rows.rows.map((r) => ({ model: String(r.model), openSinceMs: num(r.since), replicas: num(r.n) }));
}

/** Claims review `id`'s run when it never ran or last ran `everyMs` ago or more; only one replica wins. */
export async function claimReviewRun(db: Db, id: string, everyMs: number, nowMs: number): Promise<{ claimed: boolean; lastRunAt: number | null }> {
  const rows = await sql<StateRow>`select last_run_at from review_runs where review_id = ${id}`.execute(db);
  const last = rows.rows[0] ? num(rows.rows[0].last_run_at) : null;
  if (last === null) {
    const r = await sql`insert into review_runs (review_id, last_run_at) values (${id}, ${nowMs}) on conflict (review_id) do nothing`.execute(db);
    return { claimed: affected(r) === 1, lastRunAt: null };
  }
  if (nowMs - last < everyMs) return { claimed: false, lastRunAt: last };
  const r = await sql`update review_runs set last_run_at = ${nowMs} where review_id = ${id} and last_run_at = ${last}`.execute(db);
  return { claimed: affected(r) === 1, lastRunAt: last };
}

export async function recordReviewOutcome(db: Db, id: string, output: string | null, error: string | null): Promise<void> {
  await sql`update review_runs set last_output = ${output}, last_error = ${error} where review_id = ${id}`.execute(db);
}

/** Firing alerts per rule and severity (the `/metrics` gauge). */
export async function countFiring(db: Db): Promise<{ ruleId: string; kind: string; severity: string; n: number }[]> {
  const rows =
    await sql<StateRow>`select rule_id, kind, severity, count(*) as n from alert_states where state = 'firing' group by rule_id, kind, severity`.execute(db);
  return rows.rows.map((r) => ({ ruleId: String(r.rule_id), kind: String(r.kind), severity: String(r.severity), n: num(r.n) }));
}
