import type { OutcomeRow } from '../predictor/outcome-rows.ts';

/**
 * What a router can know about a call's cost before making it: per model, a least-squares line in the
 * prompt's length (input tokens scale with characters; output length is a per-model constant here),
 * fitted on training rows only. The gateway itself prices from the catalog; this stands in for it when
 * evaluating on outcome data that comes with realized costs.
 */
export interface CostLine {
  interceptUsd: number;
  usdPerChar: number;
}

export function fitCostLines(rows: readonly OutcomeRow[], models: readonly string[]): Map<string, CostLine> {
  const lines = new Map<string, CostLine>();
  for (const model of models) {
    let n = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (const row of rows) {
      const y = row.costs?.[model];
      if (y === undefined) continue;
      const x = row.prompt.length;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    if (n === 0) continue;
    const varX = sxx - (sx * sx) / n;
    const slope = varX > 0 ? Math.max(0, (sxy - (sx * sy) / n) / varX) : 0;
    lines.set(model, { usdPerChar: slope, interceptUsd: Math.max(0, (sy - slope * sx) / n) });
  }
  return lines;
}

export function estimateCostUsd(line: CostLine | undefined, promptChars: number): number {
  return line ? line.interceptUsd + line.usdPerChar * promptChars : 0;
}
