import { billableOutputTokens, enforcesMaxTokens, reservationUsd, type ReservationInput } from '../costs/reservation.ts';
import type { BudgetLimits, ReserveResult } from '../costs/budget-ledger.ts';
import { BudgetStateUnavailableError } from '../costs/fallback-budget-ledger.ts';
import { countMessageTokens } from '../costs/estimate-tokens.ts';
import type { Gateway } from './gateway-types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import type { UpstreamTarget } from '../providers/types.ts';
import { errors } from '../util/errors.ts';
import type { RequestRecord } from './request-record.ts';

export interface Reservation {
  id: string;
  keyId: string;
  reservedUsd: number;
  createdAtMs: number;
}

const DEFAULT_WORST_CASE = 'its most expensive plan';

/** The calling key's budget limits; undefined for no key or a key without a budget. */
export function budgetLimitsOf(key: RequestRecord['key']): BudgetLimits | undefined {
  if (!key || (key.budget_daily_usd == null && key.budget_monthly_usd == null)) return undefined;
  return { dailyUsd: key.budget_daily_usd, monthlyUsd: key.budget_monthly_usd };
}

/** Requests-per-minute limit of the calling key. */
export async function enforceRateLimit(g: Gateway, record: RequestRecord): Promise<void> {
  const key = record.key;
  if (!key?.rpm_limit) return;
  const verdict = await g.limiter.hit(key.id, key.rpm_limit, Date.now());
  if (!verdict.ok) throw errors.rateLimited(key.rpm_limit, verdict.retryAfterMs);
}

/**
 * Reserves the most the request can cost on any of its candidate models before calling upstream, so
 * concurrent requests cannot overspend the key's budget; `settleBudget` replaces it with the real cost.
 */
export async function reserveBudget(
  g: Gateway,
  record: RequestRecord,
  body: ChatRequest,
  targets: readonly UpstreamTarget[],
): Promise<Reservation | undefined> {
  if (!budgetLimitsOf(record.key)) return undefined;
  const { amountUsd, worstCase } = worstCaseReservation(body, targets);
  return reserveBudgetUsd(g, record, amountUsd, worstCase);
}

/** What a request reserves: the most it can cost on any of its targets, and what that is made of (for a refusal's message). */
function worstCaseReservation(body: ChatRequest, targets: readonly UpstreamTarget[]): { amountUsd: number; worstCase: () => string } {
  const promptTokens = countMessageTokens(body.messages, body.tools);
  const choices = body.n ?? 1;
  const requestedMaxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  let amountUsd = 0;
  let dearest: ReservationInput | undefined;
  let dearestId = '';
  for (const t of targets) {
    const input: ReservationInput = { promptTokens, requestedMaxTokens, choices, model: t.model, provider: t.provider };
    const usd = reservationUsd(input);
    // The first of the dearest targets names the worst case, as before.
    if (dearest === undefined || usd > amountUsd) {
      amountUsd = usd;
      dearest = input;
      dearestId = t.model.id;
    }
  }
  // Only a refusal reads it: the text is built then, not for every request.
  return { amountUsd, worstCase: () => (dearest ? worstCaseText(dearest, dearestId) : DEFAULT_WORST_CASE) };
}

/** The most a request can cost on whichever candidate answers: the dearest target's bound (`costOf`). */
export function mostCostUsd(targets: readonly UpstreamTarget[], costOf: (target: UpstreamTarget) => number): number {
  return targets.reduce((most, t) => Math.max(most, costOf(t)), 0);
}

/** What the reservation is made of, for the 429 that names it. */
function worstCaseText(input: ReservationInput, modelId: string): string {
  const outputTokens = billableOutputTokens(input) * Math.max(1, input.choices);
  const why =
    input.requestedMaxTokens === undefined
      ? `${modelId}'s max output, as no max_tokens was sent`
      : enforcesMaxTokens(input.provider)
        ? 'max_tokens'
        : `${modelId}'s max output: its provider may not enforce max_tokens`;
  return `${input.promptTokens} prompt tokens + up to ${outputTokens} output tokens (${why}) on ${modelId}`;
}

/** Reserves a given amount against the calling key's budgets (no-op for keys without one); throws 429 when it does not fit. */
export async function reserveBudgetUsd(
  g: Gateway,
  record: RequestRecord,
  amountUsd: number,
  worstCase: () => string = () => DEFAULT_WORST_CASE,
): Promise<Reservation | undefined> {
  const key = record.key;
  const limits = budgetLimitsOf(key);
  if (!key || !limits) return undefined;
  const verdict = await g.ledger.reserve(key.id, amountUsd, limits, Date.now()).catch((err: unknown) => {
    // Neither Redis nor the store answers: the key's spend cannot be known, so nothing is admitted.
    if (err instanceof BudgetStateUnavailableError) throw errors.dependencyUnavailable('the budget state (Redis and the store) is unreachable');
    throw err;
  });
  return admitReservation(key.id, verdict, amountUsd, worstCase);
}

/** A reservation the ledger answered: a 429 naming the window when refused, else held. */
function admitReservation(keyId: string, verdict: ReserveResult, amountUsd: number, worstCase: () => string): Reservation {
  if (!verdict.ok)
    throw errors.budgetExceeded({
      window: verdict.window,
      limitUsd: verdict.limitUsd,
      usedUsd: verdict.spentUsd + verdict.reservedUsd,
      requestUsd: amountUsd,
      worstCase: worstCase(),
    });
  // The ledger holds the reservation; its one row (the audit trail) is written when it settles or is
  // released (writeReservationRow), so a keyed request logs one reservation row, not two.
  const createdAtMs = Date.now();
  return { id: verdict.reservationId, keyId, reservedUsd: amountUsd, createdAtMs };
}

export async function settleBudget(g: Gateway, reservation: Reservation | undefined, record: RequestRecord): Promise<void> {
  if (!reservation) return;
  const actualUsd = record.row.cost_usd;
  try {
    await g.ledger.settle(reservation.id, actualUsd);
  } catch (err) {
    // The answer stands; the reservation expires on its own (ledger TTL) and the row keeps the real cost.
    g.logger.error({ err, requestId: record.row.id, reservationId: reservation.id }, 'budget settle failed');
    return;
  }
  writeReservationRow(g, reservation, record, actualUsd);
}

/** Gives a reservation back unspent (the request was refused after it was made). */
async function releaseBudget(g: Gateway, reservation: Reservation | undefined, record: RequestRecord): Promise<void> {
  if (!reservation) return;
  try {
    await g.ledger.release(reservation.id);
  } catch (err) {
    // The hold expires on its own (ledger TTL); the refusal stands.
    g.logger.error({ err, requestId: record.row.id, reservationId: reservation.id }, 'budget release failed');
    return;
  }
  writeReservationRow(g, reservation, record, null);
}

/** The reservation's final row: settled with its real cost, or released (null) unspent. */
function writeReservationRow(g: Gateway, reservation: Reservation, record: RequestRecord, settledUsd: number | null): void {
  void g.writer.enqueueReservation({
    id: reservation.id,
    key_id: reservation.keyId,
    request_id: record.row.id,
    created_at: reservation.createdAtMs,
    reserved_usd: reservation.reservedUsd,
    settled_usd: settledUsd,
    status: settledUsd === null ? 'released' : 'settled',
  });
}

/**
 * The rate limit and the reservation in one Redis round trip, for a plan known before the rate limit
 * without side effects (a named model; the caller checks). Where the ledger can, one script checks
 * the limit and then reserves (a refused request reserves nothing). Otherwise (Redis down, no shared
 * state) both calls are issued in the same tick, so an auto-pipelining client sends them in one
 * write; the rate limit still decides first: a request it refuses has its reservation released (its
 * row ends 'released') and gets the rate limit's 429, whatever the budget said.
 */
export async function rateLimitThenReserve(
  g: Gateway,
  record: RequestRecord,
  body: ChatRequest,
  targets: readonly UpstreamTarget[],
): Promise<Reservation | undefined> {
  const key = record.key;
  const limits = budgetLimitsOf(key);
  if (key?.rpm_limit && limits && g.ledger.reserveAfterRateLimit) {
    const { amountUsd, worstCase } = worstCaseReservation(body, targets);
    const verdict = await g.ledger.reserveAfterRateLimit(key.id, amountUsd, limits, Date.now(), key.rpm_limit);
    if (verdict && 'rateLimited' in verdict) throw errors.rateLimited(key.rpm_limit, verdict.retryAfterMs);
    if (verdict) return admitReservation(key.id, verdict, amountUsd, worstCase);
  }
  const limited = enforceRateLimit(g, record);
  const reserving = reserveBudget(g, record, body, targets);
  // Handled below either way; this keeps a refusal that settles first from counting as unhandled.
  reserving.catch(() => undefined);
  try {
    await limited;
  } catch (err) {
    await releaseBudget(g, await reserving.catch(() => undefined), record);
    throw err;
  }
  return await reserving;
}
