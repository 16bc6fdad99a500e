import { expect, it } from 'vitest';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { qualityIssues } from './quality-issues.ts';

describeOnKnownHistory('qualityIssues on the known history', (ctx) => {
  it('lists model × task type cells below the threshold that have enough ratings', async () => {
    const r = await qualityIssues(ctx.db(), ctx.query(), { threshold: 0.65, min_samples: 5 });
    expect(r.cells).toHaveLength(1);
    expect(r.cells[0]).toMatchObject({ model: 'gpt-4o-mini', task_type: 'qa', rated: 7, avg_quality: 0.621429, significant: false });
    const at08 = await qualityIssues(ctx.db(), ctx.query(), { min_samples: 5 });
    expect(at08.cells.map((c) => [c.model, c.task_type, c.avg_quality])).toEqual([
      ['gpt-4o-mini', 'qa', 0.621429],
      ['gpt-4o', 'coding', 0.675],
    ]);
  });

  it('keeps cells with too few ratings apart and says so', async () => {
    const r = await qualityIssues(ctx.db(), ctx.query(), { threshold: 0.65 });
    expect(r.cells).toEqual([]);
    expect(r.unconfirmed_cells).toEqual([{ model: 'gpt-4o-mini', task_type: 'qa', rated: 7, avg_quality: 0.621429 }]);
    expect(r.data_gaps).toEqual(['1 model × task type cells score below 0.65 on fewer than 10 ratings: collect more before acting']);
  });

  it('lists the low-scoring requests, worst first, with where the score came from', async () => {
    const r = await qualityIssues(ctx.db(), ctx.query(), { threshold: 0.65, limit: 4 });
    expect(r.low_score_count).toBe(6);
    expect(r.low_score_requests.map((x) => [x.created_at.slice(11, 19), x.quality, x.quality_source, x.status, x.finish_reason])).toEqual([
      ['09:21:00', 0, 'completion', 200, 'length'],
      ['15:00:00', 0, 'completion', 504, null],
      ['15:00:30', 0, 'completion', 504, null],
      ['09:02:00', 0.25, 'user', 200, 'stop'],
    ]);
  });

  it('counts the low-scoring requests without listing them at limit 0', async () => {
    const r = await qualityIssues(ctx.db(), ctx.query(), { threshold: 0.65, limit: 0 });
    expect(r).toMatchObject({ low_score_count: 6, low_score_requests: [] });
    expect(r.unconfirmed_cells).toHaveLength(1);
  });

  it('on a window without signals says quality issues cannot be identified', async () => {
    const r = await qualityIssues(ctx.db(), ctx.query({ task_types: ['summarization'] }));
    expect(r).toMatchObject({ sample_size: 2, cells: [], low_score_count: 0, low_score_requests: [] });
    expect(r.data_gaps[0]).toMatch(/^no quality signals in this window/);
  });
});
