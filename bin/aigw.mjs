#!/usr/bin/env node
// The aigw command. Runs the compiled CLI (dist/, built by `npm ci`) while it is newer than every
// source file; after an edit to src/ (or without a build) it runs the TypeScript through tsx instead.
import { resolve } from 'node:path';
import { compiledIsFresh } from './dist-fresh.mjs';

let main;
if (process.env.AIGW_FROM_SOURCE !== '1' && compiledIsFresh(resolve(import.meta.dirname, '..'))) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv);
