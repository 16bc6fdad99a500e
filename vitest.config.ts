import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'bench/results/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers and share PostgreSQL/Redis; forks keep native modules isolated.
    pool: 'forks',
  },
});
