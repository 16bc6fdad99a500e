import type { LiveModelStats } from './types.ts';

/**
 * Smoothing of the live averages: the first samples are a plain running mean (weight 1/n), after that
 * an EWMA with weight 0.1, i.e. roughly the last ~20 calls dominate.
 */
export const LIVE_EWMA_MIN_ALPHA = 0.1;

export interface CallOutcome {
  /** Time to the first token; leave out when unknown (e.g. a failed call) so latency stays untouched. */
  ttftMs?: number;
  outputTokens: number;
  /** Whole call, first byte sent to last token received. */
  durationMs: number;
  ok: boolean;
}

interface ModelState extends LiveModelStats {
  ttftSamples: number;
  speedSamples: number;
}

const NO_STATS: LiveModelStats = Object.freeze({ samples: 0 });

function ewma(previous: number | undefined, value: number, n: number): number {
  if (previous === undefined) return value;
  const alpha = Math.max(1 / n, LIVE_EWMA_MIN_ALPHA);
  return previous + alpha * (value - previous);
}

/** In-process per-model averages of what upstream calls really took; read by the router on every decision. */
export class LiveStats {
  readonly #models = new Map<string, ModelState>();

  record(model: string, outcome: CallOutcome): void {
    let state = this.#models.get(model);
    if (!state) {
      state = { samples: 0, ttftSamples: 0, speedSamples: 0 };
      this.#models.set(model, state);
    }
    state.samples++;
    state.errorRate = ewma(state.errorRate, outcome.ok ? 0 : 1, state.samples);
    if (!outcome.ok || outcome.ttftMs === undefined || !Number.isFinite(outcome.ttftMs)) return;
    state.ttftSamples++;
    state.ttftMsEwma = ewma(state.ttftMsEwma, outcome.ttftMs, state.ttftSamples);
    // Generation speed needs tokens spread over time after the first one; a non-streamed answer arrives at once.
    const generationMs = outcome.durationMs - outcome.ttftMs;
    if (outcome.outputTokens > 1 && generationMs > 0) {
      state.speedSamples++;
      const tokensPerS = (outcome.outputTokens - 1) / (generationMs / 1000);
      state.outputTokensPerSEwma = ewma(state.outputTokensPerSEwma, tokensPerS, state.speedSamples);
    }
  }

  /** The live numbers of a model; the same object is updated in place, so read it, do not keep it. */
  get(model: string): LiveModelStats {
    return this.#models.get(model) ?? NO_STATS;
  }
}
