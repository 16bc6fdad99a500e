import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeOnKnownHistory } from './known-history.test-support.ts';
import { scoredRequestsSql } from './quality.ts';
import { num } from './request-window.ts';

describeOnKnownHistory("scoredRequestsSql: a request's quality from its signals", (ctx) => {
  async function scored(extra = {}) {
    const rows = await sql<{ created_at: unknown; quality: unknown; quality_source: string | null }>`
      with sr as (${scoredRequestsSql(ctx.query(extra))}) select sr.created_at, sr.quality, sr.quality_source from sr order by sr.created_at`.execute(ctx.db());
    return rows.rows.map((r) => [new Date(num(r.created_at)).toISOString().slice(11, 19), r.quality === null ? null : num(r.quality), r.quality_source]);
  }

  it('takes people over the judge over stored completion signals, averaging signals of the same rank', async () => {
    expect((await scored({ task_types: ['qa'] })).slice(0, 8)).toEqual([
      ['09:00:00', 1, 'user'],
      ['09:01:00', 1, 'user'], // user 1 beats judge 0.2
      ['09:02:00', 0.25, 'user'], // user 0.5 and the caller label qa-team 0 rank alike: averaged
      ['09:03:00', 0.6, 'judge'], // judge 0.6 beats a stored completion 0
      ['09:04:00', 1, 'user'],
      ['09:05:00', null, null], // a normal stop with no feedback: unknown, not good
      ['09:06:00', null, null],
      ['09:07:00', null, null],
    ]);
  });

  it('scores cut-off and failed requests 0 from the request row, unless someone rated them', async () => {
    expect((await scored({ task_types: ['qa'] })).slice(8)).toEqual([
      ['09:20:00', 0.5, 'user'], // finish_reason length, but a person rated it
      ['09:21:00', 0, 'completion'], // finish_reason length, no feedback
    ]);
    expect(await scored({ from: '2026-01-05T15:00:00Z', to: '2026-01-05T16:00:00Z' })).toEqual([
      ['15:00:00', 0, 'completion'], // 504 upstream timeout
      ['15:00:30', 0, 'completion'],
    ]);
  });
});
