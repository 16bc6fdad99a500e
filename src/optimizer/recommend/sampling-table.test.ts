import { describe, expect, it } from 'vitest';
import { TASK_TYPES } from '../../config/enums.ts';
import { recommendSampling, SAMPLING_BY_TASK } from './sampling-table.ts';

describe('recommendSampling', () => {
  it('keeps deterministic tasks at temperature 0 and open-ended ones higher', () => {
    for (const t of ['classification', 'extraction', 'math'] as const) expect(SAMPLING_BY_TASK[t].temperature).toBe(0);
    expect(SAMPLING_BY_TASK.creative_writing.temperature).toBeGreaterThan(SAMPLING_BY_TASK.chat.temperature);
    expect(SAMPLING_BY_TASK.chat.temperature).toBeGreaterThan(SAMPLING_BY_TASK.summarization.temperature);
    for (const t of TASK_TYPES) expect(SAMPLING_BY_TASK[t].topP).toBeGreaterThan(0.9);
  });

  it('recommends what differs from the request, counting an unset value as the provider default 1', () => {
    const r = recommendSampling('extraction', {});
    expect(r.map((x) => [x.parameter, x.current, x.recommended])).toEqual([['temperature', null, 0]]);
    expect(r[0]!.effect.cost_usd).toBe(0);
    expect(r[0]!.evidence).toMatchObject({ source: 'task_type_table', requests: 0 });
    expect(recommendSampling('extraction', { temperature: 0 })).toEqual([]);
    const creative = recommendSampling('creative_writing', { temperature: 0.2, top_p: null });
    expect(creative.map((x) => [x.parameter, x.current, x.recommended])).toEqual([
      ['temperature', 0.2, 0.9],
      ['top_p', null, 0.95],
    ]);
  });
});
