import type { Pricing } from '../config/schema.ts';
import { addPicoUsd, picoToUsd, priceMicroUsdPerMTok, tokensCostPicoUsd } from './cost.ts';

function tokens(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.ceil(n) : 0;
}

/**
 * The most a request can cost: every prompt token at the dearest input rate (a provider may write
 * the whole prompt to its cache) and every allowed output token at the dearest output rate (all of
 * it may be reasoning). Budgets reserve this before the upstream call, so the settled cost can
 * never exceed the reservation when the prompt count is right.
 */
export function maxCostUsd(promptTokens: number, maxOutputTokens: number, pricing: Pricing): number {
  const inputPrice = Math.max(
    priceMicroUsdPerMTok(pricing.input),
    priceMicroUsdPerMTok(pricing.cache_write ?? pricing.input),
    priceMicroUsdPerMTok(pricing.cached_input ?? pricing.input),
  );
  const outputPrice = Math.max(priceMicroUsdPerMTok(pricing.output), priceMicroUsdPerMTok(pricing.reasoning ?? pricing.output));
  return picoToUsd(addPicoUsd(tokensCostPicoUsd(tokens(promptTokens), inputPrice), tokensCostPicoUsd(tokens(maxOutputTokens), outputPrice)));
}

/**
 * The likely cost, for ranking models: prompt at the uncached input rate, the expected output at
 * the output rate. Reasoning tokens, when a model spends them, belong in expectedOutputTokens.
 */
export function expectedCostUsd(promptTokens: number, expectedOutputTokens: number, pricing: Pricing): number {
  return picoToUsd(
    addPicoUsd(
      tokensCostPicoUsd(tokens(promptTokens), priceMicroUsdPerMTok(pricing.input)),
      tokensCostPicoUsd(tokens(expectedOutputTokens), priceMicroUsdPerMTok(pricing.output)),
    ),
  );
}
