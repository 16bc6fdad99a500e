#!/usr/bin/env node
// Compiles src/ to dist/ (run by `npm ci` through `prepare`, and by `npm run build`), so the aigw
// command starts from JavaScript instead of transforming TypeScript at every run. bin/aigw.mjs uses
// dist/ only while it is newer than every file under src/; otherwise it runs the sources through tsx.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

// Worker threads load plain .mjs files next to the module that starts them.
function copyMjs(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyMjs(path);
    else if (entry.name.endsWith('.mjs')) {
      const target = join(root, 'dist', relative(join(root, 'src'), path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
    }
  }
}
copyMjs(join(root, 'src'));
// The binary copy of the shipped router model (model-cache.ts), so the first `aigw serve` or `aigw route`
// after `npm ci` starts as fast as later ones; it is keyed by the JSON's hash, so a new JSON gets a new copy.
const { loadPredictor } = await import(pathToFileURL(join(root, 'dist', 'router', 'predictor', 'load-predictor.js')).href);
loadPredictor();
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
