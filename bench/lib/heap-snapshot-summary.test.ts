import { describe, expect, it } from 'vitest';
import { heapGrowth, summarizeHeapSnapshot, type HeapSnapshotJson } from './heap-snapshot-summary.ts';

/** A snapshot in V8's layout: 3 fields a node (type, name, self_size), names in `strings`. */
function snapshot(nodes: Array<[type: number, name: string, selfBytes: number]>): HeapSnapshotJson {
  const strings: string[] = [];
  const flat: number[] = [];
  for (const [type, name, selfBytes] of nodes) {
    if (!strings.includes(name)) strings.push(name);
    flat.push(type, strings.indexOf(name), selfBytes);
  }
  return { snapshot: { meta: { node_fields: ['type', 'name', 'self_size'], node_types: [['object', 'string']] } }, nodes: flat, strings };
}

describe('heap snapshot summary', () => {
  it('groups objects by constructor and strings by type alone', () => {
    const s = summarizeHeapSnapshot(
      snapshot([
        [0, 'Map', 100],
        [0, 'Map', 50],
        [1, 'hello', 30],
        [1, 'world', 40],
      ]),
    );
    expect(s.totalBytes).toBe(220);
    expect(s.nodes).toBe(4);
    expect(s.groups.get('object:Map')).toEqual({ key: 'object:Map', count: 2, selfBytes: 150 });
    expect(s.groups.get('string')).toEqual({ key: 'string', count: 2, selfBytes: 70 });
  });

  it('ranks what grew between two snapshots', () => {
    const before = summarizeHeapSnapshot(snapshot([[0, 'Map', 100]])).groups;
    const after = summarizeHeapSnapshot(
      snapshot([
        [0, 'Map', 100],
        [0, 'Entry', 300],
        [0, 'Entry', 300],
      ]),
    ).groups;
    expect(heapGrowth(before, after, 1)).toEqual([{ key: 'object:Entry', countBefore: 0, countAfter: 2, addedBytes: 600 }]);
  });
});
