import type { RouteOutcome } from '../router.ts';

/** An external backend's answer: a catalog model id it picked, or why it gave none. */
export type BackendAnswer = { ok: true; model: string; detail: string } | { ok: false; reason: string };

type Decided = Extract<RouteOutcome, { ok: true }>;

/**
 * The final decision after an external backend answered. Its pick replaces the built-in choice only
 * when it is one of the built-in's eligible candidates; everything else (candidates, rules, constraints)
 * stays the built-in's, so logs and analytics compare both routers on the same numbers.
 */
export function mergeBackendAnswer(backendName: string, builtin: Decided, answer: BackendAnswer, externalUs: number): RouteOutcome {
  const base = builtin.decision;
  const decisionUs = builtin.decisionUs + externalUs;
  const withNote = (note: string): RouteOutcome => ({
    ok: true,
    decisionUs,
    decision: { ...base, rationale: `${backendName} ${note}; built-in router: ${base.rationale}`, decisionUs },
  });
  if (!answer.ok) return withNote(answer.reason);
  const picked = base.candidates.find((c) => c.model === answer.model);
  if (!picked) return withNote(`chose ${answer.model}, which is not a candidate for ${base.routingModel} (${answer.detail})`);
  if (!picked.eligible) {
    return withNote(`chose ${answer.model}, which is not eligible: ${picked.reason ?? 'ruled out by the policy'} (${answer.detail})`);
  }
  const agreed = answer.model === base.chosenModel;
  const note = agreed
    ? `chose ${answer.model}, as did the built-in router (${answer.detail})`
    : `chose ${answer.model} over the built-in choice ${base.chosenModel} (${answer.detail})`;
  const order = [base.chosenModel, ...base.fallbacks].filter((m) => m !== answer.model);
  // The built-in's technique belongs to its model: a different pick runs plain.
  const { technique, ...rest } = base;
  return {
    ok: true,
    decisionUs,
    decision: {
      ...rest,
      ...(agreed && technique ? { technique } : {}),
      chosenModel: answer.model,
      fallbacks: [...new Set(order)],
      rationale: `${backendName} ${note}; built-in router: ${base.rationale}`,
      routerVersion: `${backendName}+${base.routerVersion}`,
      decisionUs,
    },
  };
}
