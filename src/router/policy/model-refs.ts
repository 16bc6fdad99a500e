import type { ModelConfig, Tier } from '../../config/schema.ts';
import { TIERS } from '../../config/schema.ts';

const TIER_PREFIX = 'tier:';

/** Whether `ref` names a tier (`tier:economy`) rather than a model id. */
export function tierOfRef(ref: string): Tier | undefined {
  if (!ref.startsWith(TIER_PREFIX)) return undefined;
  const tier = ref.slice(TIER_PREFIX.length);
  return (TIERS as readonly string[]).includes(tier) ? (tier as Tier) : undefined;
}

/**
 * Model ids a list of refs names, in the order given (a tier expands to its models in catalog order),
 * without duplicates. Unknown refs resolve to nothing; `findUnknownModelRefs` reports them at start-up.
 */
export function resolveModelRefs(refs: readonly string[], models: readonly ModelConfig[]): string[] {
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (id: string): void => {
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  };
  for (const ref of refs) {
    const tier = tierOfRef(ref);
    if (tier) {
      for (const m of models) if (m.tier === tier) add(m.id);
    } else if (models.some((m) => m.id === ref)) {
      add(ref);
    }
  }
  return ids;
}

/** Refs in a list that name neither a configured model nor a valid tier. */
export function unknownModelRefs(refs: readonly string[], models: readonly ModelConfig[]): string[] {
  return refs.filter((ref) => {
    if (ref.startsWith(TIER_PREFIX)) return tierOfRef(ref) === undefined;
    return !models.some((m) => m.id === ref);
  });
}
