import { defineConfig } from 'vitest/config';

// The root config only includes src/ and test/; `npx vitest run -c bench/vitest.config.ts` runs the
// benchmark helpers' own tests.
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'results/**'],
    pool: 'forks',
  },
});
