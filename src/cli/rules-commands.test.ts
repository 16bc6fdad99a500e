import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { buildReport } from '../analytics/report/build-report.ts';
import { renderReport } from '../analytics/report/render-report.ts';
import { analyzeRules, loadHistory } from '../analytics/recommend/index.ts';
import { storeRecommendations } from '../analytics/recommend/store-recommendations.ts';
import type { RuleRecommendation } from '../analytics/recommend/types.ts';
import { RoutingRule } from '../config/schema.ts';
import { readConfig, withSimulatedFleet } from '../gateway/resolve-config.ts';
import { openStore } from '../store/open-store.ts';
import { TEST_BACKENDS, type OpenedTestStore } from '../store/store-test-support.ts';
import { startTestStack, type TestStack } from '../../test/helpers/test-stack.ts';
import { buildProgram } from './main.ts';
import { addRuleToConfigText, applyRecommendation, ApplyRuleError } from './rules-commands.ts';

const CONFIG = `# gateway config (hand-written)
providers:
  - id: openai
    type: openai
    base_url: https://api.openai.com/v1
    api_key_env: OPENAI_API_KEY # never commit the key
models:
  - id: gpt-4o-mini
    provider: openai
    tier: economy
    pricing: { input: 0.15, output: 0.6 }
    context_window: 128000
    max_output_tokens: 16384
routing:
  default_min_quality: 0.7 # floor for auto
`;

/** A stored recommendation whose payload carries `rule` (the rest of the payload is what the analysis writes). */
function recommendation(id: string, rule: Record<string, unknown>): RuleRecommendation {
  return { id, kind: 'routing_rule', title: `test ${id}`, rule: RoutingRule.parse(rule) } as RuleRecommendation;
}

const CHEAP_QA = {
  name: 'rec-qa-cheap',
  match: { task_types: ['qa'], complexity: { max: 0.4 } },
  action: { prefer: ['gpt-4o-mini'], goal: 'cost', min_quality: 0.75 },
};

describe('addRuleToConfigText', () => {
  it('appends the rule and keeps comments and the rest of the file', () => {
    const next = addRuleToConfigText(CONFIG, CHEAP_QA, 'aigw.yaml');
    expect(next).toContain('# gateway config (hand-written)');
    expect(next).toContain('# never commit the key');
    expect(next).toContain('default_min_quality: 0.7 # floor for auto');
    expect((parse(next) as { routing: { rules: unknown[] } }).routing.rules).toEqual([CHEAP_QA]);
    const twice = addRuleToConfigText(next, { ...CHEAP_QA, name: 'second' }, 'aigw.yaml');
    expect((parse(twice) as { routing: { rules: Array<{ name: string }> } }).routing.rules.map((r) => r.name)).toEqual(['rec-qa-cheap', 'second']);
  });

  it('refuses a duplicate name and a rule the loader rejects, returning nothing', () => {
    const next = addRuleToConfigText(CONFIG, CHEAP_QA, 'aigw.yaml');
    expect(() => addRuleToConfigText(next, CHEAP_QA, 'aigw.yaml')).toThrow(ApplyRuleError);
    expect(() => addRuleToConfigText(CONFIG, { ...CHEAP_QA, action: { prefer: ['no-such-model'] } }, 'aigw.yaml')).toThrow(/unknown model 'no-such-model'/);
  });
});

describe.each(TEST_BACKENDS)('applyRecommendation ($name)', (backend) => {
  let opened: OpenedTestStore;
  beforeAll(async () => {
    opened = await backend.open();
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('writes the rule with the A/B percent, marks the recommendation applied, and refuses to apply it twice', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aigw-rules-')), 'aigw.yaml');
    writeFileSync(path, CONFIG);
    await storeRecommendations(opened.store, [recommendation('rec_apply1', CHEAP_QA)], 1_000);
    const result = await applyRecommendation(opened.store, { id: 'rec_apply1', configPath: path, percent: 20, nowMs: 2_000 });
    expect(result).toEqual({ ruleName: 'rec-qa-cheap', configPath: path, percent: 20, created: false });
    const rule = (parse(readFileSync(path, 'utf8')) as { routing: { rules: Array<Record<string, unknown>> } }).routing.rules[0];
    expect(rule).toMatchObject({ name: 'rec-qa-cheap', percent: 20, action: CHEAP_QA.action });
    expect(rule?.['description']).toMatch(/from recommendation rec_apply1/);
    expect(await opened.store.getRecommendation('rec_apply1')).toMatchObject({ status: 'applied', applied_at: 2_000 });
    await expect(applyRecommendation(opened.store, { id: 'rec_apply1', configPath: path, nowMs: 3_000 })).rejects.toThrow(/already applied/);
    await expect(applyRecommendation(opened.store, { id: 'rec_missing', configPath: path, nowMs: 3_000 })).rejects.toThrow(/no stored recommendation/);
  });

  it('creates the config file with just the rule when there is none (right after `aigw demo`), and it loads with the simulated fleet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aigw-rules-'));
    const path = join(dir, 'aigw.yaml');
    const simRule = {
      ...CHEAP_QA,
      name: 'rec-qa-sim',
      match: { task_types: ['qa'], routing_models: ['auto', 'auto-cost'] },
      action: { prefer: ['sim-mini'], goal: 'cost' },
    } as unknown as typeof CHEAP_QA;
    await storeRecommendations(opened.store, [recommendation('rec_new1', simRule)], 1_000);
    expect(await applyRecommendation(opened.store, { id: 'rec_new1', configPath: path, nowMs: 2_000 })).toMatchObject({ created: true });
    const written = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['routing']);
    const { config } = readConfig(dir);
    const served = withSimulatedFleet(config, 'http://127.0.0.1:1', {});
    expect(served.routing.rules.map((r) => r.name)).toEqual(['rec-qa-sim']);
    // A rule naming a model the fleet does not have is refused before anything is written.
    const other = join(dir, 'other.yaml');
    await storeRecommendations(
      opened.store,
      [recommendation('rec_new2', { ...simRule, name: 'rec-x', action: { prefer: ['gpt-5-imaginary'] } } as unknown as typeof CHEAP_QA)],
      1_000,
    );
    await expect(applyRecommendation(opened.store, { id: 'rec_new2', configPath: other, nowMs: 2_000 })).rejects.toThrow(/gpt-5-imaginary/);
    expect(existsSync(other)).toBe(false);
  });

  it('leaves the file and the status alone when the result would not load', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aigw-rules-')), 'aigw.yaml');
    writeFileSync(path, CONFIG);
    await storeRecommendations(opened.store, [recommendation('rec_bad1', { ...CHEAP_QA, action: { require: ['gpt-5-imaginary'] } })], 1_000);
    await expect(applyRecommendation(opened.store, { id: 'rec_bad1', configPath: path, nowMs: 2_000 })).rejects.toThrow(/gpt-5-imaginary/);
    expect(readFileSync(path, 'utf8')).toBe(CONFIG);
    expect(await opened.store.getRecommendation('rec_bad1')).toMatchObject({ status: 'proposed' });
  });
});

describe('aigw rules list / apply (CLI)', () => {
  const logs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    logs.length = 0;
  });

  it('lists stored recommendations and applies one to the --config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aigw-rules-cli-'));
    const path = join(dir, 'aigw.yaml');
    writeFileSync(path, `${CONFIG}store:\n  dir: ${join(dir, 'data')}\n`);
    const store = await openStore({ dir: join(dir, 'data') });
    await storeRecommendations(store, [recommendation('rec_cli1', CHEAP_QA)], Date.UTC(2026, 0, 5));
    await store.close();
    vi.spyOn(console, 'log').mockImplementation((line: string) => logs.push(line));
    await (await buildProgram()).parseAsync(['node', 'aigw', '--config', path, 'rules', 'list']);
    expect(logs.join('\n')).toMatch(/rec_cli1\s+2026-01-05T00:00\s+proposed\s+test rec_cli1/);
    await (await buildProgram()).parseAsync(['node', 'aigw', 'rules', 'apply', 'rec_cli1', '--percent', '25', '--config', path]);
    expect(logs.join('\n')).toContain(`Added rule rec-qa-cheap to ${path} on 25% of matching traffic`);
    expect(readFileSync(path, 'utf8')).toMatch(/percent: 25/);
  });
});

describe('an applied A/B rule in a running gateway', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('takes effect on reload and logs both arms, which the rule analysis compares', async () => {
    const g = () => stack.gateway.runtime.gateway;
    await storeRecommendations(g().store, [recommendation('rec_ab1', { name: 'rec-all-nano', match: {}, action: { require: ['sim-nano'] } })], Date.now());
    await applyRecommendation(g().store, { id: 'rec_ab1', configPath: join(stack.dir, 'aigw.yaml'), percent: 50, nowMs: Date.now() });
    stack.gateway.reload(); // what SIGHUP does
    const ruleHeaders: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { response } = await stack.client.chat.completions
        .create({ model: 'auto', messages: [{ role: 'user', content: `What is the capital of country number ${i}?` }], max_tokens: 20 })
        .withResponse();
      ruleHeaders.push(response.headers.get('x-aigw-route-rule') ?? '');
      if (ruleHeaders.at(-1) === 'rec-all-nano') expect(response.headers.get('x-aigw-model')).toBe('sim-nano');
    }
    const applied = ruleHeaders.filter((h) => h.split(',').includes('rec-all-nano')).length;
    const held = ruleHeaders.filter((h) => h.split(',').includes('rec-all-nano (holdout)')).length;
    expect(applied + held).toBe(40);
    expect(applied).toBeGreaterThan(5);
    expect(held).toBeGreaterThan(5);
    await g().writer.flush();
    const history = await loadHistory((g().store as unknown as { db: Parameters<typeof loadHistory>[0] }).db, {
      fromMs: 0,
      toMs: Date.now() + 1,
      taskTypes: [],
      keyIds: [],
      models: [],
    });
    const ab = analyzeRules(history.rows).abTests;
    expect(ab).toHaveLength(1);
    expect(ab[0]).toMatchObject({ rule: 'rec-all-nano', applied: { fires: applied }, holdout: { fires: held } });
    // The next report measures the split.
    const doc = await buildReport(
      (g().store as unknown as { db: Parameters<typeof buildReport>[0] }).db,
      { timeframe: '1h' },
      { goal: 'cost', targetReduction: 0.2, config: g().config },
      Date.now() + 1,
    );
    expect(renderReport(doc, 'md')).toContain(`  - rec-all-nano: applied ${applied} vs holdout ${held} requests, quality `);
    // Answers cut at max_tokens 20 score 0 on both arms (finish_reason length): no difference to measure.
    expect(doc.current_state.decisions.ab_tests[0]?.verdict).toMatch(/^no measurable quality difference \(95% CI \+0\.000…\+0\.000\)/);
  });
});
