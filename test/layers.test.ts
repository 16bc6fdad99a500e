import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The module layers of src/, top to bottom (docs/architecture.md; `test/layers.test.ts`) A module may import its own
 * folder, a folder of its own layer, or any layer below — never one above. Tests and test support
 * (`*.test.ts`, `*.test-support.ts`) are exempt: an end-to-end test may build the whole gateway.
 *
 *   cli                 the aigw command
 *   gateway             composition root: builds the Gateway from config, starts and reloads the server
 *   server              HTTP surface: Fastify app, routes, authentication
 *   mcp                 MCP tool servers (mounted by server, run standalone by cli)
 *   pipeline            the request's steps: record, log, attempts, completion, settlement, errors
 *   router optimizer costs providers cache quality reliability auth metrics telemetry analytics alerts sim
 *   store config util
 */
const LAYERS: readonly (readonly string[])[] = [
  ['cli'],
  ['gateway'],
  ['server'],
  ['mcp'],
  ['pipeline'],
  ['router', 'optimizer', 'costs', 'providers', 'cache', 'quality', 'reliability', 'auth', 'metrics', 'telemetry', 'analytics', 'alerts', 'sim'],
  ['store', 'config', 'util'],
];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(e.name) && !/\.test\.ts$|\.test-support\.ts$/.test(e.name) ? [path] : [];
  });
}

/** Relative specifiers of static imports, re-exports and dynamic imports, resolved to absolute paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s));
}

const folderOf = (file: string): string => relative(root, file).split('/')[0]!;
const layerOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));

const files = sourceFiles(root);
const edges = new Map(files.map((f) => [f, importsOf(f)]));

describe('module layers', () => {
  it('knows the layer of every folder under src/', () => {
    const folders = [...new Set(files.map(folderOf))].filter((f) => !f.endsWith('.ts'));
    expect(folders.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('imports only from its own layer or a lower one', () => {
    const upward: string[] = [];
    for (const [file, targets] of edges) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (to !== from && layerOf(to) < layerOf(from)) upward.push(`${relative(root, file)} -> ${relative(root, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycles between files', () => {
    expect(importCycles(edges).map((cycle) => cycle.map((f) => relative(root, f)).join(' -> '))).toEqual([]);
  });
});

/** Strongly connected components with more than one file (Tarjan), each listed once. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}
