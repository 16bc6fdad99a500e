import type { Pricing } from '../config/schema.ts';
import type { NormalizedUsage } from '../providers/types.ts';

/**
 * Exact request cost from normalized usage and published per-1M-token prices.
 *
 * Why integers: `tokens * pricePerM / 1e6` in floating point drifts (0.1 + 0.2 style) and the
 * error compounds when thousands of costs are summed. Instead every price is scaled to an integer
 * number of micro-USD per 1M tokens (6 decimals of $/M, finer than any published price), so
 * `tokens * priceMicroUsdPerMTok` is an exact integer count of pico-USD (1e-12 USD, the
 * "micro-micro-dollar"). Parts are added as integers and divided by 1e12 once at the end; IEEE
 * division by the exactly representable 1e12 yields the double nearest to the true decimal, so
 * 1 token at $0.15/M is exactly the double 1.5e-7. Products stay inside Number's safe-integer
 * range for any realistic request (up to ~$9,000 per request); beyond that BigInt takes over.
 */

export const PICO_PER_USD = 1e12;
const MICRO_PER_USD = 1e6;
const PICO_PER_USD_BIG = 1_000_000_000_000n;

export interface CostBreakdown {
  uncachedInputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  /** Output tokens that are not reasoning tokens. */
  answerOutputTokens: number;
  reasoningTokens: number;
  uncachedInputUsd: number;
  cachedInputUsd: number;
  cacheWriteUsd: number;
  answerOutputUsd: number;
  reasoningUsd: number;
  /** Exact sum of the parts (summed as integers, so it may differ from a float sum in the last bit). */
  totalUsd: number;
}

/** USD per 1M tokens → integer micro-USD per 1M tokens. */
export function priceMicroUsdPerMTok(usdPerMTok: number): number {
  if (!Number.isFinite(usdPerMTok) || usdPerMTok < 0) throw new RangeError(`invalid price ${usdPerMTok}`);
  return Math.round(usdPerMTok * MICRO_PER_USD);
}

/** Token counts are counts: negatives (inconsistent upstream usage) become 0, fractions round. */
function tokenCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

/** Exact pico-USD for `tokens` at `priceMicro` micro-USD per 1M tokens. */
export function tokensCostPicoUsd(tokens: number, priceMicro: number): bigint | number {
  const pico = tokens * priceMicro;
  return Number.isSafeInteger(pico) ? pico : BigInt(tokens) * BigInt(priceMicro);
}

export function addPicoUsd(a: bigint | number, b: bigint | number): bigint | number {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  return BigInt(a) + BigInt(b);
}

/** Integer pico-USD → USD, correctly rounded to the nearest double. */
export function picoToUsd(pico: bigint | number): number {
  if (typeof pico === 'number') return pico / PICO_PER_USD;
  const whole = pico / PICO_PER_USD_BIG;
  const frac = pico % PICO_PER_USD_BIG;
  return Number(whole) + Number(frac) / PICO_PER_USD;
}

/** USD → integer pico-USD (rounds away float noise such as 1.5e-7 * 1e12 = 150000.00000000003). */
export function usdToPico(usd: number): bigint {
  if (!Number.isFinite(usd)) throw new RangeError(`invalid amount ${usd}`);
  const scaled = usd * PICO_PER_USD;
  if (Number.isSafeInteger(Math.round(scaled))) return BigInt(Math.round(scaled));
  // Large amounts: split whole dollars from the fraction so neither part leaves double precision.
  const whole = Math.trunc(usd);
  return BigInt(whole) * PICO_PER_USD_BIG + BigInt(Math.round((usd - whole) * PICO_PER_USD));
}

/** Sums USD amounts without float drift (each amount is taken to the nearest pico-USD). */
export function sumUsd(amountsUsd: Iterable<number>): number {
  let total = 0n;
  for (const usd of amountsUsd) total += usdToPico(usd);
  return picoToUsd(total);
}

interface UsageParts {
  uncachedInput: number;
  cachedInput: number;
  cacheWrite: number;
  answerOutput: number;
  reasoning: number;
}

function usageParts(usage: NormalizedUsage): UsageParts {
  const input = tokenCount(usage.inputTokens);
  const cachedInput = tokenCount(usage.cachedInputTokens);
  const cacheWrite = tokenCount(usage.cacheWriteTokens);
  const output = tokenCount(usage.outputTokens);
  const reasoning = tokenCount(usage.reasoningTokens);
  return {
    uncachedInput: Math.max(0, input - cachedInput - cacheWrite),
    cachedInput,
    cacheWrite,
    answerOutput: Math.max(0, output - reasoning),
    reasoning,
  };
}

interface PartsPico {
  uncachedInput: bigint | number;
  cachedInput: bigint | number;
  cacheWrite: bigint | number;
  answerOutput: bigint | number;
  reasoning: bigint | number;
  total: bigint | number;
}

function partsPico(p: UsageParts, pricing: Pricing): PartsPico {
  const inputPrice = priceMicroUsdPerMTok(pricing.input);
  const outputPrice = priceMicroUsdPerMTok(pricing.output);
  const uncachedInput = tokensCostPicoUsd(p.uncachedInput, inputPrice);
  const cachedInput = tokensCostPicoUsd(p.cachedInput, pricing.cached_input === undefined ? inputPrice : priceMicroUsdPerMTok(pricing.cached_input));
  const cacheWrite = tokensCostPicoUsd(p.cacheWrite, pricing.cache_write === undefined ? inputPrice : priceMicroUsdPerMTok(pricing.cache_write));
  const answerOutput = tokensCostPicoUsd(p.answerOutput, outputPrice);
  const reasoning = tokensCostPicoUsd(p.reasoning, pricing.reasoning === undefined ? outputPrice : priceMicroUsdPerMTok(pricing.reasoning));
  const total = addPicoUsd(addPicoUsd(addPicoUsd(uncachedInput, cachedInput), addPicoUsd(cacheWrite, answerOutput)), reasoning);
  return { uncachedInput, cachedInput, cacheWrite, answerOutput, reasoning, total };
}

/** Exact cost of one request as integer pico-USD (for callers that keep running totals). */
export function costPicoUsd(usage: NormalizedUsage, pricing: Pricing): bigint | number {
  return partsPico(usageParts(usage), pricing).total;
}

/** Exact cost of one request in USD at the model's published prices. */
export function costUsd(usage: NormalizedUsage, pricing: Pricing): number {
  return picoToUsd(costPicoUsd(usage, pricing));
}

/** Each priced part of a request, for logs and analytics. */
export function costBreakdown(usage: NormalizedUsage, pricing: Pricing): CostBreakdown {
  const p = usageParts(usage);
  const pico = partsPico(p, pricing);
  return {
    uncachedInputTokens: p.uncachedInput,
    cachedInputTokens: p.cachedInput,
    cacheWriteTokens: p.cacheWrite,
    answerOutputTokens: p.answerOutput,
    reasoningTokens: p.reasoning,
    uncachedInputUsd: picoToUsd(pico.uncachedInput),
    cachedInputUsd: picoToUsd(pico.cachedInput),
    cacheWriteUsd: picoToUsd(pico.cacheWrite),
    answerOutputUsd: picoToUsd(pico.answerOutput),
    reasoningUsd: picoToUsd(pico.reasoning),
    totalUsd: picoToUsd(pico.total),
  };
}
