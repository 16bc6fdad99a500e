import { describe, expect, it } from 'vitest';
import { areaOf, summarizeCpuProfile, type CpuProfile } from './cpu-profile-summary.ts';

describe('areaOf', () => {
  it('names npm packages, scoped ones included', () => {
    expect(areaOf('file:///w/node_modules/fastify/lib/route.js', 'f')).toBe('npm:fastify');
    expect(areaOf('file:///w/node_modules/@fastify/ajv-compiler/index.js', 'f')).toBe('npm:@fastify/ajv-compiler');
    expect(areaOf('file:///w/node_modules/a/node_modules/b/x.js', 'f')).toBe('npm:b');
  });

  it('names repo source folders, node core and V8', () => {
    expect(areaOf('file:///work/main/src/router/router.ts', 'decide')).toBe('src/router');
    expect(areaOf('file:///work/main/src/x.ts', 'f')).toBe('src');
    expect(areaOf('node:internal/http', 'f')).toBe('node core');
    expect(areaOf('', '(garbage collector)')).toBe('gc');
    expect(areaOf('', '(program)')).toBe('v8/native');
  });
});

describe('summarizeCpuProfile', () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({ functionName, url, lineNumber });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('(idle)', '') },
      { id: 3, callFrame: frame('decide', 'file:///r/src/router/router.ts', 9) },
      { id: 4, callFrame: frame('', 'file:///r/node_modules/fastify/lib/reply.js', 0) },
    ],
    // time deltas: the first is before any sample; each later one belongs to the sample before it.
    samples: [3, 2, 3, 4, 3],
    timeDeltas: [0, 1000, 5000, 3000, 1000, 500],
  };

  it('adds self time per function, leaves idle out, and groups by area', () => {
    const s = summarizeCpuProfile(profile, 'p.cpuprofile');
    expect(s.totalMs).toBeCloseTo(1 + 3 + 1 + 0.5, 9);
    expect(s.top[0]).toEqual({ functionName: 'decide', location: 'src/router/router.ts:10', selfMs: 4.5, selfShare: 4.5 / 5.5 });
    expect(s.top[1]).toMatchObject({ functionName: '(anonymous)', location: 'node_modules/fastify/lib/reply.js:1', selfMs: 1 });
    expect(s.byArea).toEqual([
      { area: 'src/router', selfMs: 4.5, selfShare: 4.5 / 5.5 },
      { area: 'npm:fastify', selfMs: 1, selfShare: 1 / 5.5 },
    ]);
  });

  it('keeps only the top N functions', () => {
    expect(summarizeCpuProfile(profile, 'p', 1).top).toHaveLength(1);
  });
});
