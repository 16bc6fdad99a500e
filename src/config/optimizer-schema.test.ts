import { describe, expect, it } from 'vitest';
import { problemsOf as problemsWith } from './config-problems.test-support.ts';
import { checkTechniquePlan } from '../optimizer/run-technique.ts';
import { parseConfigYaml } from './load-config.ts';

const BASE = `
providers:
  - { id: sim, type: openai, base_url: http://127.0.0.1:9/v1 }
models:
  - { id: cheap, provider: sim, tier: economy, pricing: { input: 0.15, output: 0.6 }, context_window: 128000, max_output_tokens: 16384 }
`;

describe('optimizer config in YAML', () => {
  it('reads per-task-type technique plans and fills their defaults', () => {
    const config = parseConfigYaml(`${BASE}
optimizer:
  disabled_keys: [batch-job]
  task_types:
    math: { technique: self_consistency, options: { k: 5 } }
    reasoning: { technique: "re2&majority_voting", tiers: [economy, standard], only_when_below_target: false }
`);
    expect(config.optimizer).toMatchObject({ enabled: true, disabled_keys: ['batch-job'], max_upstream_requests: 16 });
    expect(config.optimizer.task_types.math).toEqual({ technique: 'self_consistency', options: { k: 5 }, tiers: ['economy'], only_when_below_target: true });
    expect(config.optimizer.task_types.reasoning).toMatchObject({ tiers: ['economy', 'standard'], only_when_below_target: false });
    expect(parseConfigYaml(`${BASE}\noptimizer: { enabled: false }\n`).optimizer.enabled).toBe(false);
  });

  it('refuses an unknown technique, a bad option and an unknown task type, naming where', () => {
    const problemsOf = (yaml: string) => problemsWith(yaml, { checkTechniquePlan });
    expect(problemsOf(`${BASE}\noptimizer: { task_types: { math: { technique: telepathy } } }\n`)).toEqual([
      expect.stringMatching(/^optimizer\.task_types\.math\.technique: Unknown technique 'telepathy'\. Valid techniques: none, re2/),
    ]);
    expect(problemsOf(`${BASE}\noptimizer: { task_types: { math: { technique: self_consistency, options: { k: 99 } } } }\n`)).toEqual([
      expect.stringMatching(/^optimizer\.task_types\.math\.options: Option 'k' of technique 'self_consistency' must be an integer from 2 to 32/),
    ]);
    expect(problemsOf(`${BASE}\noptimizer: { task_types: { astrology: { technique: re2 } } }\n`)[0]).toMatch(/^optimizer\.task_types/);
  });

  it('checks technique names and options only when the loader passes the optimizer check in', () => {
    expect(problemsWith(`${BASE}\noptimizer: { task_types: { math: { technique: telepathy } } }\n`)).toEqual([]);
  });
});
