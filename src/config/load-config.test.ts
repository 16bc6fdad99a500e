import { describe, expect, it } from 'vitest';
import { problemsOf } from './config-problems.test-support.ts';
import { parseConfigYaml } from './load-config.ts';

const valid = `
providers:
  - id: openai
    type: openai
    base_url: https://api.openai.com/v1
    api_key_env: OPENAI_API_KEY
models:
  - id: gpt-4o-mini
    provider: openai
    tier: economy
    pricing: { input: 0.15, cached_input: 0.075, output: 0.6 }
    context_window: 128000
    max_output_tokens: 16384
    quality: { summarization: 0.9, default: 0.75 }
  - id: gpt-4o
    provider: openai
    tier: premium
    pricing: { input: 2.5, output: 10 }
    context_window: 128000
    max_output_tokens: 16384
    fallbacks: [gpt-4o-mini]
routing:
  rules:
    - name: cheap-summaries
      match: { task_types: [summarization], complexity: { max: 0.3 } }
      action: { prefer: [tier:economy] }
`;

describe('parseConfigYaml', () => {
  it('accepts a valid file and fills defaults', () => {
    const config = parseConfigYaml(valid);
    expect(config.models).toHaveLength(2);
    expect(config.server.port).toBe(4000);
    expect(config.server.body_limit_bytes).toBe(10 * 1024 * 1024);
    expect(config.routing.virtual_models.auto?.goal).toBe('balanced');
    expect(config.models[0]?.latency.ttft_ms).toBe(500);
  });

  it('names the path of every bad field', () => {
    const bad = valid
      .replace('input: 0.15', 'input: "cheap"')
      .replace('context_window: 128000\n    max_output_tokens: 16384\n    fallbacks', 'context_window: -1\n    max_output_tokens: 16384\n    fallbacks');
    const problems = problemsOf(bad);
    expect(problems.some((p) => p.startsWith('models[0].pricing.input:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('models[1].context_window:'))).toBe(true);
  });

  it('refuses unknown fields and wrong enums with their path', () => {
    expect(problemsOf(valid.replace('tier: economy', 'tier: cheapest'))[0]).toMatch(/^models\[0\]\.tier:/);
    expect(problemsOf(valid.replace('tier: premium', 'tier: premium\n    colour: blue'))[0]).toMatch(/^models\[1\]/);
  });

  it('checks references between providers, models and rules', () => {
    expect(problemsOf(valid.replace('fallbacks: [gpt-4o-mini]', 'fallbacks: [nope]'))).toEqual(["models[1].fallbacks[0]: unknown model 'nope'"]);
    expect(problemsOf(valid.replace('prefer: [tier:economy]', 'prefer: [tier:gold]'))).toEqual(["routing.rules[0].action.prefer[0]: unknown tier 'gold'"]);
    expect(problemsOf(valid.replace('provider: openai\n    tier: premium', 'provider: azure\n    tier: premium'))).toEqual([
      "models[1].provider: unknown provider 'azure'",
    ]);
  });

  it('reports YAML syntax errors with a line number', () => {
    expect(problemsOf('models: [\n  - id: x\n')[0]).toMatch(/^YAML syntax \(line \d+\)/);
  });

  it('never lets a model on an anthropic provider claim n (the Messages API has none)', () => {
    const claude =
      '  - { id: claude-haiku, provider: anthropic, pricing: { input: 0.8, output: 4 }, context_window: 200000, max_output_tokens: 8192, supports_n: true }\n';
    const yaml = valid
      .replace('providers:\n', 'providers:\n  - { id: anthropic, type: anthropic, base_url: https://api.anthropic.com }\n')
      .replace('routing:\n', `${claude}routing:\n`);
    const config = parseConfigYaml(yaml);
    expect(config.models.find((m) => m.id === 'claude-haiku')?.supports_n).toBe(false);
    expect(config.models.find((m) => m.id === 'gpt-4o')?.supports_n).toBe(true);
  });
});
