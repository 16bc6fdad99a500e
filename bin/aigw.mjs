#!/usr/bin/env node
// The aigw command: loads the TypeScript CLI through tsx so no build step is needed after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
