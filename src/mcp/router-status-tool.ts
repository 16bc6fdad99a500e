import { z } from 'zod';
import { routerStatus } from '../router/learning/router-status.ts';
import { LearningStore } from '../store/learning-store.ts';
import { withStore } from './tool-context.ts';
import { defineTool } from './tool-spec.ts';

/** get_router_status (intelligence-router): `aigw router status` for agents. */
export const GET_ROUTER_STATUS = defineTool({
  name: 'get_router_status',
  title: 'Router learning status',
  description:
    'The live router version (model file or promoted candidate, plus the learned-state number), outcomes learned per model and task type with their ' +
    'mean score and learned ability shift, and the last `aigw router train --from-store` evaluations with why each candidate was or was not promoted.',
  input: {},
  output: z.looseObject({
    liveVersion: z.string(),
    state: z.looseObject({}).nullable(),
    outcomes: z.array(z.looseObject({ model: z.string(), task_type: z.string(), outcomes: z.number() })),
    evaluations: z.array(z.looseObject({ status: z.string(), reason: z.string() })),
  }),
  async run(ctx) {
    const s = await withStore(ctx, (db) => routerStatus(new LearningStore(db), ctx.config()));
    return { ...s, state: s.state ? { ...s.state } : null, outcomes: s.outcomes.map((o) => ({ ...o })), evaluations: s.evaluations.map((e) => ({ ...e })) };
  },
  summarize: (r) =>
    `Live router ${r.liveVersion}; ${r.outcomes.reduce((s, o) => s + o.outcomes, 0)} outcomes learned over ${r.outcomes.length} model × task type cells; ` +
    `${r.evaluations.length} recent evaluation(s)${r.evaluations[0] ? ` (last: ${r.evaluations[0].status}, ${r.evaluations[0].reason})` : ''}.`,
});
