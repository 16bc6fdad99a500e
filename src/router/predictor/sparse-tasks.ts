/**
 * Task types that only some models have outcomes for.
 *
 * In the shared data, "math" prompts come almost only from MMLU, which only GPT-4 and Mixtral answered:
 * their math abilities and coarse-head task weights say "MMLU's math is hard", while the nine other
 * models, with 6 math rows each, keep their overall level. Left alone, that ranks GPT-4 below
 * Mistral-7B on a grade-school word problem. A model without enough rows of a task type therefore takes
 * its own level plus the *shift* that the models with data show for that task type (how much harder or
 * easier it is than their own average) — the task's effect is shared, the model's level is its own.
 */

/** Per-model view of one task type: its rows, and the model's value there and on average. */
export interface TaskValue {
  rows: number;
  /** The model's value for this task type (θ_task, or a coarse task weight). */
  value: number;
  /** The same model's overall value (θ_base, or the row-weighted mean of its task weights). */
  level: number;
}

/**
 * Mean shift (value − level), weighted by rows, over the models with at least `minRows` rows of the
 * task type; undefined when no model has enough.
 */
export function sharedTaskShift(values: readonly TaskValue[], minRows: number): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const v of values) {
    if (v.rows < minRows) continue;
    sum += v.rows * (v.value - v.level);
    weight += v.rows;
  }
  return weight > 0 ? sum / weight : undefined;
}

/** A coarse head's task-type weights, and the model's rows per task type (same order as the layout). */
export interface CoarseTaskWeights {
  weights: Float64Array;
  /** Index of the first task-type weight in `weights`. */
  offset: number;
  rows: readonly number[];
}

/**
 * Replaces, in place, the task-type weight of every coarse head that has fewer than `minRows` rows of
 * that task type by its own row-weighted mean task weight plus the shared shift of the heads that do.
 */
export function imputeCoarseTaskWeights(heads: readonly CoarseTaskWeights[], taskCount: number, minRows: number): void {
  const levels = heads.map((h) => meanTaskWeight(h, taskCount, minRows));
  for (let t = 0; t < taskCount; t++) {
    const shift = sharedTaskShift(
      heads.map((h, k) => ({ rows: h.rows[t] ?? 0, value: h.weights[h.offset + t]!, level: levels[k]! })),
      minRows,
    );
    if (shift === undefined) continue;
    heads.forEach((h, k) => {
      if ((h.rows[t] ?? 0) < minRows) h.weights[h.offset + t] = levels[k]! + shift;
    });
  }
}

function meanTaskWeight(head: CoarseTaskWeights, taskCount: number, minRows: number): number {
  let sum = 0;
  let rows = 0;
  for (let t = 0; t < taskCount; t++) {
    const n = head.rows[t] ?? 0;
    if (n < minRows) continue;
    sum += n * head.weights[head.offset + t]!;
    rows += n;
  }
  return rows > 0 ? sum / rows : 0;
}

/**
 * Models grouped into families: connected through shared training sources (a model without any named
 * source joins the family of the other such models). Levels are comparable inside a family only — two
 * families that never answered the same prompts are tied together by nothing but the shared difficulty.
 */
export function familiesOf<T extends { sources: readonly string[] }>(models: readonly T[]): T[][] {
  const parent = models.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const bySource = new Map<string, number>();
  models.forEach((m, i) => {
    for (const s of m.sources.length > 0 ? m.sources : ['']) {
      const j = bySource.get(s);
      if (j === undefined) bySource.set(s, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, T[]>();
  models.forEach((m, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), m]));
  return [...groups.values()];
}
