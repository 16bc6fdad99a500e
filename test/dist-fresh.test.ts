import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledIsFresh } from '../bin/dist-fresh.mjs';

const roots: string[] = [];

/** A project root whose files carry the given modification times (seconds since the epoch). */
function project(times: { srcS: number; stampS?: number; lockS?: number; installedLockS?: number }): string {
  const root = mkdtempSync(join(tmpdir(), 'aigw-dist-fresh-'));
  roots.push(root);
  const write = (path: string, s: number) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'x');
    utimesSync(join(root, path), s, s);
  };
  write('src/cli/main.ts', times.srcS);
  if (times.stampS !== undefined) write('dist/.build-stamp', times.stampS);
  if (times.lockS !== undefined) write('package-lock.json', times.lockS);
  if (times.installedLockS !== undefined) write('node_modules/.package-lock.json', times.installedLockS);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('compiledIsFresh', () => {
  it('runs dist when it was built after the sources and the install', () => {
    expect(compiledIsFresh(project({ srcS: 1000, lockS: 900, installedLockS: 950, stampS: 2000 }))).toBe(true);
  });

  it('refuses a missing build', () => {
    expect(compiledIsFresh(project({ srcS: 1000 }))).toBe(false);
  });

  it('refuses dist after a source edit', () => {
    expect(compiledIsFresh(project({ srcS: 3000, stampS: 2000 }))).toBe(false);
  });

  it('runs dist after an edit to a test file, which is not compiled', () => {
    const root = project({ srcS: 1000, stampS: 2000 });
    writeFileSync(join(root, 'src/cli/main.test.ts'), 'x');
    utimesSync(join(root, 'src/cli/main.test.ts'), 3000, 3000);
    expect(compiledIsFresh(root)).toBe(true);
    utimesSync(join(root, 'src/cli/main.ts'), 3000, 3000);
    expect(compiledIsFresh(root)).toBe(false);
  });

  it('refuses dist after `npm install X` changed the installed packages (dist/vendor bundles some)', () => {
    expect(compiledIsFresh(project({ srcS: 1000, lockS: 900, installedLockS: 2500, stampS: 2000 }))).toBe(false);
    expect(compiledIsFresh(project({ srcS: 1000, lockS: 2500, installedLockS: 900, stampS: 2000 }))).toBe(false);
  });
});
