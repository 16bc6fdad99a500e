import { techniqueBounds, TechniqueOptionError } from '../optimizer/run-technique.ts';
import type { GatewayConfig } from './schema.ts';
import { TIERS } from './schema.ts';

/** Cross-field checks zod cannot express per field: ids unique, references resolve. */
export function checkReferences(config: GatewayConfig): string[] {
  const problems: string[] = [];
  const providerIds = new Set<string>();
  config.providers.forEach((p, i) => {
    if (providerIds.has(p.id)) problems.push(`providers[${i}].id: duplicate provider id '${p.id}'`);
    providerIds.add(p.id);
  });
  const modelIds = new Set<string>();
  config.models.forEach((m, i) => {
    if (modelIds.has(m.id)) problems.push(`models[${i}].id: duplicate model id '${m.id}'`);
    modelIds.add(m.id);
    if (!providerIds.has(m.provider)) problems.push(`models[${i}].provider: unknown provider '${m.provider}'`);
  });
  config.models.forEach((m, i) => {
    m.fallbacks.forEach((f, j) => {
      if (!modelIds.has(f)) problems.push(`models[${i}].fallbacks[${j}]: unknown model '${f}'`);
    });
  });
  const checkRef = (ref: string, path: string) => {
    if (ref.startsWith('tier:')) {
      if (!(TIERS as readonly string[]).includes(ref.slice(5))) problems.push(`${path}: unknown tier '${ref.slice(5)}'`);
    } else if (!modelIds.has(ref)) {
      problems.push(`${path}: unknown model '${ref}'`);
    }
  };
  for (const [name, vm] of Object.entries(config.routing.virtual_models)) {
    if (modelIds.has(name)) problems.push(`routing.virtual_models.${name}: clashes with a configured model id`);
    vm.candidates?.forEach((ref, j) => checkRef(ref, `routing.virtual_models.${name}.candidates[${j}]`));
  }
  config.routing.rules.forEach((rule, i) => {
    for (const field of ['prefer', 'require', 'exclude'] as const) {
      rule.action[field]?.forEach((ref, j) => checkRef(ref, `routing.rules[${i}].action.${field}[${j}]`));
    }
  });
  problems.push(...checkTechniquePlans(config));
  return problems;
}

/** Technique plans get the check a request's selector gets: names the registry knows, options in range. */
function checkTechniquePlans(config: GatewayConfig): string[] {
  const problems: string[] = [];
  for (const [taskType, plan] of Object.entries(config.optimizer.task_types)) {
    if (!plan) continue;
    try {
      techniqueBounds(plan.technique, { model: 'config', messages: [{ role: 'user', content: '' }] }, plan.options);
    } catch (err) {
      const field = err instanceof TechniqueOptionError ? 'options' : 'technique';
      problems.push(`optimizer.task_types.${taskType}.${field}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}
