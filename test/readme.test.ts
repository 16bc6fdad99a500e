import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigYaml } from '../src/config/load-config.ts';
import { buildProgram } from '../src/cli/main.ts';

const readme = readFileSync(resolve(import.meta.dirname, '../README.md'), 'utf8');
const ciRun = readFileSync(resolve(import.meta.dirname, '../.ci/run'), 'utf8');

describe('README stays true', () => {
  it('its configuration example is a valid config', () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeTruthy();
    const config = parseConfigYaml(yaml ?? '', 'README.md');
    expect(config.providers.map((p) => p.type)).toEqual(expect.arrayContaining(['openai', 'anthropic', 'gemini']));
    // Models named by id and provider only: every one of them is priced (by the datasets or the entry).
    expect(config.models.filter((m) => m.sources?.['pricing'] === 'unknown').map((m) => m.id)).toEqual([]);
    expect(config.models.find((m) => m.id === 'gpt-4o-mini')?.pricing.input).toBeGreaterThan(0);
  });

  it('names the two set-up commands, and .ci/run runs exactly its test command', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(ciRun).toMatch(/^npm test$/m);
  });

  it('names the gateway API key variable as the demo reads it (AIGW_API_KEY), nowhere another name', () => {
    expect(readme).toContain('process.env.AIGW_API_KEY');
    const docs = ['README.md', 'docs/quality-signals.md', 'docs/optimizer.md'].map((f) => readFileSync(resolve(import.meta.dirname, '..', f), 'utf8'));
    for (const text of docs) expect(text).not.toMatch(/\bAIGW_KEY\b/);
  });

  it('every command in its table exists in the CLI', async () => {
    const program = await buildProgram();
    const names = new Set(program.commands.map((c) => c.name()));
    const listed = [...readme.matchAll(/^\| `aigw (\w+)/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(5);
    for (const name of listed) expect(names.has(name ?? '')).toBe(true);
  });
});
