import type { ProfileEntry, ProfileSummary } from './overhead-results.ts';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** A source URL's area: an npm package, a folder of this repo's src/, node core, or V8 itself. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName === '(garbage collector)' ? 'gc' : 'v8/native';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return `npm:${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '')}`;
  }
  const src = url.lastIndexOf('/src/');
  if (src !== -1) {
    const folder = url
      .slice(src + 1)
      .split('/')
      .slice(0, 2)
      .join('/');
    return folder.endsWith('.ts') ? 'src' : folder;
  }
  return 'other';
}

function shortLocation(url: string, lineNumber: number): string {
  if (url === '') return '';
  const cut = Math.max(url.lastIndexOf('/node_modules/'), url.lastIndexOf('/src/'));
  const path = cut === -1 ? url.replace(/^file:\/\//, '') : url.slice(cut + 1);
  return `${path}:${lineNumber + 1}`;
}

/** Self time per function and per area, idle time left out; `topN` functions by self time. */
export function summarizeCpuProfile(profile: CpuProfile, file: string, topN = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // V8 stamps each sample's delta as the time since the previous sample; the time belongs to that previous sample.
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const us = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, us));
  }
  const byFunction = new Map<string, ProfileEntry>();
  const byArea = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    totalUs += us;
    const name = frame.functionName || '(anonymous)';
    const location = shortLocation(frame.url, frame.lineNumber);
    const key = `${name}@${location}`;
    const entry = byFunction.get(key) ?? { functionName: name, location, selfMs: 0, selfShare: 0 };
    entry.selfMs += us / 1000;
    byFunction.set(key, entry);
    const area = areaOf(frame.url, frame.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const totalMs = totalUs / 1000;
  const share = (ms: number) => (totalMs > 0 ? ms / totalMs : 0);
  const top = [...byFunction.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, topN)
    .map((e) => ({ ...e, selfShare: share(e.selfMs) }));
  const areas = [...byArea.entries()].map(([area, us]) => ({ area, selfMs: us / 1000, selfShare: share(us / 1000) })).sort((a, b) => b.selfMs - a.selfMs);
  return { file, totalMs, top, byArea: areas };
}
