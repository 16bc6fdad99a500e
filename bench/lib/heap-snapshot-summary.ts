/**
 * What a V8 heap snapshot (`--heapsnapshot-signal`, `.heapsnapshot` JSON) holds, counted by node
 * type and constructor name, and what grew between two of them: the "comparison" view of Chrome's
 * memory tool, small enough to put into a benchmark's results. A snapshot is taken after a full
 * garbage collection, so what it counts is what is retained.
 */
export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  /** `type:name`, e.g. `object:Map` or `closure:onTimeout`; strings and code are grouped by type only. */
  key: string;
  count: number;
  selfBytes: number;
}

/** Types whose node names are contents (string text, code), not a class: grouped under the type alone. */
const GROUP_BY_TYPE_ONLY = new Set(['string', 'concatenated string', 'sliced string', 'code', 'number', 'hidden', 'array']);

export function summarizeHeapSnapshot(snap: HeapSnapshotJson): { totalBytes: number; nodes: number; groups: Map<string, HeapGroup> } {
  const fields = snap.snapshot.meta.node_fields;
  const typeNames = snap.snapshot.meta.node_types[0] as string[];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, HeapGroup>();
  let totalBytes = 0;
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = typeNames[snap.nodes[i + typeAt] as number] ?? 'unknown';
    const selfBytes = snap.nodes[i + sizeAt] as number;
    const key = GROUP_BY_TYPE_ONLY.has(type) ? type : `${type}:${snap.strings[snap.nodes[i + nameAt] as number] ?? '?'}`;
    const group = groups.get(key) ?? { key, count: 0, selfBytes: 0 };
    group.count += 1;
    group.selfBytes += selfBytes;
    groups.set(key, group);
    totalBytes += selfBytes;
  }
  return { totalBytes, nodes: snap.nodes.length / stride, groups };
}

export interface HeapGrowth {
  key: string;
  countBefore: number;
  countAfter: number;
  addedBytes: number;
}

/** The `top` groups that grew most in bytes from `before` to `after` (largest first). */
export function heapGrowth(before: Map<string, HeapGroup>, after: Map<string, HeapGroup>, top: number): HeapGrowth[] {
  const rows: HeapGrowth[] = [];
  for (const [key, a] of after) {
    const b = before.get(key);
    rows.push({ key, countBefore: b?.count ?? 0, countAfter: a.count, addedBytes: a.selfBytes - (b?.selfBytes ?? 0) });
  }
  return rows.sort((x, y) => y.addedBytes - x.addedBytes).slice(0, top);
}
