#!/usr/bin/env node
// Compiles src/ to dist/ (run by `npm ci` through `prepare`, and by `npm run build`), so the aigw
// command starts from JavaScript instead of transforming TypeScript at every run. bin/aigw.mjs uses
// dist/ only while it is newer than every file under src/; otherwise it runs the sources through tsx.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

// Packages published as hundreds of small ES modules cost the CLI more to resolve and link than to run
// (kysely: 262 files, ~0.1 s of every `aigw serve` start-up). dist/ imports one bundled file of each
// instead. Only packages that no other dependency imports are listed, so there is never a second copy.
const VENDORED = ['kysely'];
const { buildSync } = createRequire(import.meta.url)('esbuild');
for (const name of VENDORED) {
  buildSync({
    stdin: { contents: `export * from '${name}';`, resolveDir: root },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: join(root, 'dist', 'vendor', `${name}.js`),
    logLevel: 'warning',
  });
}
function rewriteVendored(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'vendor') rewriteVendored(path);
    } else if (entry.name.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      let out = text;
      for (const name of VENDORED) {
        const target = relative(dir, join(root, 'dist', 'vendor', `${name}.js`)).replaceAll('\\', '/');
        out = out.replaceAll(`from '${name}';`, `from '${target.startsWith('.') ? target : `./${target}`}';`);
      }
      if (out !== text) writeFileSync(path, out);
    }
  }
}
rewriteVendored(join(root, 'dist'));
// The binary copy of the shipped router model (model-cache.ts), so the first `aigw serve` or `aigw route`
// after `npm ci` starts as fast as later ones; it is keyed by the JSON's hash, so a new JSON gets a new copy.
const { loadPredictor } = await import(pathToFileURL(join(root, 'dist', 'router', 'predictor', 'load-predictor.js')).href);
loadPredictor();
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
