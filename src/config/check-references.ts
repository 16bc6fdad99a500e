import type { GatewayConfig } from './schema.ts';
import { TIERS } from './schema.ts';

/**
 * Checks one technique plan (`optimizer.task_types.*`) and names the field at fault. The optimizer
 * owns the technique table (`checkTechniquePlan` in src/optimizer/run-technique.ts); config sits
 * below it, so whoever loads a config passes the check in.
 */
export type TechniquePlanCheck = (
  technique: string,
  options: Readonly<Record<string, number>>,
) => { field: 'technique' | 'options'; message: string } | undefined;

/** Cross-field checks zod cannot express per field: ids unique, references resolve. */
export function checkReferences(config: GatewayConfig, checkTechniquePlan?: TechniquePlanCheck): string[] {
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
  // A config without models runs only on the simulated fleet, which is added (and this check run
  // again, with its models) when the gateway starts: its rules may name the fleet's models. That is
  // the aigw.yaml `aigw rules apply` creates after the demo.
  const modelsComeLater = config.models.length === 0;
  const checkRef = (ref: string, path: string) => {
    if (ref.startsWith('tier:')) {
      if (!(TIERS as readonly string[]).includes(ref.slice(5))) problems.push(`${path}: unknown tier '${ref.slice(5)}'`);
    } else if (!modelIds.has(ref) && !modelsComeLater) {
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
  if (checkTechniquePlan) problems.push(...checkTechniquePlans(config, checkTechniquePlan));
  return problems;
}

/** Technique plans get the check a request's selector gets: names the registry knows, options in range. */
function checkTechniquePlans(config: GatewayConfig, check: TechniquePlanCheck): string[] {
  const problems: string[] = [];
  for (const [taskType, plan] of Object.entries(config.optimizer.task_types)) {
    const problem = plan && check(plan.technique, plan.options);
    if (problem) problems.push(`optimizer.task_types.${taskType}.${problem.field}: ${problem.message}`);
  }
  return problems;
}
