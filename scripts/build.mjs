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

// Packages published as many small modules cost every start-up more to find, read and link than to
// run (kysely: 262 ES modules; zod: 95; undici, yaml: ~100 and ~70 CommonJS files; fastify with avvio,
// find-my-way, semver and ajv: ~150; prom-client with @opentelemetry/api: ~80; pino: ~30; commander: 8). dist/ imports
// one bundled file of each instead. Only packages whose objects never cross into another dependency are
// listed, so a second copy elsewhere in node_modules changes nothing. zod's schemas do reach the MCP SDK
// (its own zod copy), which zod 4 allows: `instanceof` checks traits and the registry is process-wide.
const VENDORED = [
  { name: 'kysely', commonJs: false },
  { name: 'zod', commonJs: false },
  // undici (~1 MB bundled) serves only upstream calls: it loads on the first one, not at start-up.
  { name: 'undici', commonJs: true, lazy: true },
  { name: 'yaml', commonJs: true },
  // Without fastify's schema compilers (ajv, fast-json-stringify): src/server/app.ts loads them only
  // for a route with a schema (none has one). Import + Fastify() CPU ~95 → ~75 ms.
  { name: 'fastify', commonJs: true, external: ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'] },
  { name: 'prom-client', commonJs: true },
  { name: 'pino', commonJs: true },
  { name: 'commander', commonJs: false },
];
const distFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'vendor' ? [] : distFiles(path);
    return entry.name.endsWith('.js') ? [path] : [];
  });
const files = distFiles(join(root, 'dist'));
const { buildSync } = createRequire(import.meta.url)('esbuild');
for (const { name, commonJs, lazy, external } of VENDORED) {
  // A CommonJS package has no static export list: export the names dist/ imports from it.
  const imported = new Set();
  const importRe = new RegExp(`import \\{([^}]*)\\} from '(?:[./]*vendor/)?${name}(?:\\.js)?'`, 'g');
  for (const file of files)
    for (const m of readFileSync(file, 'utf8').matchAll(importRe)) for (const part of m[1].split(',')) imported.add(part.trim().split(/\s+as\s+/)[0]);
  imported.delete('');
  if (lazy) {
    writeLazyVendor(name, [...imported]);
    continue;
  }
  const contents = commonJs ? `import m from '${name}';\nexport const { ${[...imported].join(', ')} } = m;\nexport default m;\n` : `export * from '${name}';\n`;
  buildSync({
    stdin: { contents, resolveDir: root },
    bundle: true,
    format: 'esm',
    platform: 'node',
    // Bundled CommonJS (also behind an ES module entry, as commander's) may require() Node's built-in modules at run time.
    banner: { js: "import { createRequire as __aigwCreateRequire } from 'node:module';\nconst require = __aigwCreateRequire(import.meta.url);" },
    outfile: join(root, 'dist', 'vendor', `${name}.js`),
    external,
    logLevel: 'warning',
  });
}
/**
 * A CommonJS package bundled to dist/vendor/NAME.cjs and required on first use: dist/vendor/NAME.js
 * exports each imported name as a stand-in that loads the bundle when called, constructed or read
 * (functions, classes and namespace objects only; the build checks) and forwards to the real value.
 */
function writeLazyVendor(name, names) {
  buildSync({
    stdin: { contents: `module.exports = require('${name}');\n`, resolveDir: root },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    outfile: join(root, 'dist', 'vendor', `${name}.cjs`),
    logLevel: 'warning',
  });
  const loaded = createRequire(import.meta.url)(join(root, 'dist', 'vendor', `${name}.cjs`));
  const kinds = names.map((n) => {
    const kind = typeof loaded[n];
    if (kind !== 'function' && (kind !== 'object' || loaded[n] === null)) throw new Error(`${name}.${n} is a ${kind}: it cannot be vendored lazily`);
    return [n, kind];
  });
  const lines = [
    `// ${name}, loaded on first use (scripts/build.mjs).`,
    "import { createRequire } from 'node:module';",
    'let loaded;',
    `const load = () => (loaded ??= createRequire(import.meta.url)('./${name}.cjs'));`,
    'const lazy = (name, target) => {',
    '  const real = () => load()[name];',
    '  const handler = {',
    '    apply: (_t, self, args) => Reflect.apply(real(), self, args),',
    '    construct: (_t, args, newTarget) => Reflect.construct(real(), args, newTarget === stand ? real() : newTarget),',
    '    get: (_t, key) => Reflect.get(real(), key),',
    '    has: (_t, key) => Reflect.has(real(), key),',
    '  };',
    '  // A namespace object also lists its keys (a function target keeps its own `prototype`, so it cannot).',
    "  if (typeof target === 'object') {",
    '    handler.ownKeys = () => Reflect.ownKeys(real());',
    '    handler.getOwnPropertyDescriptor = (_t, key) => {',
    '      const d = Reflect.getOwnPropertyDescriptor(real(), key);',
    '      return d && { ...d, configurable: true };',
    '    };',
    '  }',
    '  const stand = new Proxy(target, handler);',
    '  return stand;',
    '};',
    ...kinds.map(([n, kind]) => `export const ${n} = lazy('${n}', ${kind === 'function' ? 'function () {}' : '{}'});`),
  ];
  writeFileSync(join(root, 'dist', 'vendor', `${name}.js`), `${lines.join('\n')}\n`);
}
for (const path of files) {
  const text = readFileSync(path, 'utf8');
  let out = text;
  for (const { name } of VENDORED) {
    const target = relative(dirname(path), join(root, 'dist', 'vendor', `${name}.js`)).replaceAll('\\', '/');
    out = out.replaceAll(`from '${name}';`, `from '${target.startsWith('.') ? target : `./${target}`}';`);
  }
  if (out !== text) writeFileSync(path, out);
}
// The binary copy of the shipped router model (model-cache.ts), so the first `aigw serve` or `aigw route`
// after `npm ci` starts as fast as later ones; it is keyed by the JSON's hash, so a new JSON gets a new copy.
const { loadPredictor } = await import(pathToFileURL(join(root, 'dist', 'router', 'predictor', 'load-predictor.js')).href);
loadPredictor();
writeFileSync(join(root, 'dist', '.build-stamp'), `${new Date().toISOString()}\n`);
