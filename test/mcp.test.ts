import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Kysely } from 'kysely';
import type { Database } from '../src/store/schema.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/test-stack.ts';

const ADMIN_KEY = 'test-admin-key-mcp-0123456789';
const REQUESTS = 40;
const BIN = resolve(import.meta.dirname, '../bin/aigw.mjs');
const INTELLIGENCE_TOOLS = [
  'get_routing_analytics',
  'get_quality_metrics',
  'analyze_request_patterns',
  'evaluate_model_performance',
  'analyze_routing_decisions',
  'identify_bottlenecks',
  'identify_quality_issues',
  'optimize_routing_rules',
  'optimize_model_mix',
  'create_optimization_plan',
  'assess_optimization_risks',
  'get_active_alerts',
  'get_router_status',
];
const COST_TOOLS = ['get_routing_costs', 'identify_cost_drivers', 'generate_cost_optimization_plan'];

let stack: TestStack;

/** A history the recommendations can work on: routed requests of two kinds, each rated. */
async function seedHistory(): Promise<void> {
  for (let i = 0; i < REQUESTS; i += 1) {
    const content = i % 2 === 0 ? `What is the capital of country number ${i}?` : `Write a Python function that returns the ${i}th prime number, with tests.`;
    const { response } = await stack.client.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content }], max_tokens: 40 }).withResponse();
    const requestId = response.headers.get('x-aigw-request-id');
    const res = await fetch(`${stack.url}/v1/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ request_id: requestId, score: i % 3 === 0 ? 0 : 1, source: 'sim-outcome' }),
    });
    expect(res.status).toBeLessThan(300);
  }
  await stack.gateway.runtime.gateway.writer.flush();
}

async function httpClient(server: string): Promise<Client> {
  const client = new Client({ name: 'aigw-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${stack.url}/mcp/${server}`), { requestInit: { headers: { authorization: `Bearer ${ADMIN_KEY}` } } }),
  );
  return client;
}

async function stdioClient(configPath: string, server = 'intelligence-router'): Promise<Client> {
  const client = new Client({ name: 'aigw-test', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', server, '--config', configPath], cwd: stack.dir, stderr: 'pipe' }),
  );
  return client;
}

const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { AIGW_ADMIN_KEY: ADMIN_KEY } });
  await seedHistory();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('MCP over Streamable HTTP on the gateway', () => {
  it('refuses requests without the admin key', async () => {
    const res = await fetch(`${stack.url}/mcp/intelligence-router`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(401);
  });

  it('lists the intelligence-router tools, each with input and output schemas', async () => {
    const client = await httpClient('intelligence-router');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...INTELLIGENCE_TOOLS].sort());
    for (const t of tools) {
      expect(t.outputSchema?.type).toBe('object');
      // get_active_alerts reads the alert state now, over no window of its own.
      if (t.name === 'get_active_alerts' || t.name === 'get_router_status') continue;
      expect(Object.keys(t.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['timeframe', 'from', 'to', 'task_types']));
    }
    // Descriptive tools list the fields they answer with, not only the envelope.
    const routing = tools.find((t) => t.name === 'get_routing_analytics');
    expect(routing?.outputSchema?.required).toEqual(
      expect.arrayContaining(['window', 'sample_size', 'total_requests', 'routing_latency_ms', 'model_distribution', 'success_rate']),
    );
    const issues = tools.find((t) => t.name === 'identify_quality_issues');
    expect(Object.keys(issues?.outputSchema?.properties ?? {})).toEqual(expect.arrayContaining(['cells', 'low_score_count', 'low_score_requests']));
    const rules = tools.find((t) => t.name === 'optimize_routing_rules');
    expect(Object.keys(rules?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['goal', 'constraints', 'cost_threshold', 'quality_threshold']));
    await client.close();
  });

  it('optimize_routing_rules answers with structured content over the whole seeded history', async () => {
    const client = await httpClient('intelligence-router');
    const r = await call(client, 'optimize_routing_rules', { timeframe: '24h', goal: 'cost', constraints: 'cost<0.05,quality>0.5' });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as {
      sample_size: number;
      goal: string;
      recommendations: Array<{ id: string; ruleYaml: string }>;
      window: { from: string; to: string };
    };
    expect(s.sample_size).toBe(REQUESTS);
    expect(s.goal).toBe('cost');
    expect(Date.parse(s.window.to) - Date.parse(s.window.from)).toBe(86_400_000);
    for (const rec of s.recommendations) expect(rec.ruleYaml).toContain('name:');
    expect(textOf(r)).toContain('routing-rule change(s) for goal cost');
    await client.close();
  });

  it('analyze_routing_decisions counts the rated decisions', async () => {
    const client = await httpClient('intelligence-router');
    const r = await call(client, 'analyze_routing_decisions', { timeframe: '24h', criteria: 'cost', quality_threshold: 0.5 });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { analyzed: number }).analyzed).toBe(REQUESTS);
    await client.close();
  });

  it('get_router_status shows the outcomes the router learned from the rated requests', async () => {
    await stack.gateway.runtime.gateway.learning!.flush();
    const client = await httpClient('intelligence-router');
    const r = await call(client, 'get_router_status', {});
    const status = r.structuredContent as { liveVersion: string; outcomes: Array<{ outcomes: number }> };
    expect(status.outcomes.reduce((a, o) => a + o.outcomes, 0)).toBe(REQUESTS);
    expect(status.liveVersion).toMatch(/^irt-v/);
    expect(textOf(r)).toMatch(/outcomes learned/);
  });

  it('reports bad arguments, constraints it cannot read and unknown ids as tool errors', async () => {
    const client = await httpClient('intelligence-router');
    const badWindow = await call(client, 'get_routing_analytics', { timeframe: '2w' });
    expect(badWindow.isError).toBe(true);
    expect(textOf(badWindow)).toMatch(/timeframe/);
    const badConstraints = await call(client, 'optimize_routing_rules', { constraints: 'cost>0.01' });
    expect(badConstraints.isError).toBe(true);
    expect(textOf(badConstraints)).toContain('Invalid arguments: constraint "cost>0.01" points the wrong way');
    const halfWindow = await call(client, 'optimize_model_mix', { from: '2026-01-01T00:00:00Z' });
    expect(textOf(halfWindow)).toContain('give both `from` and `to`');
    const unknownId = await call(client, 'assess_optimization_risks', { changes: 'rec_does_not_exist' });
    expect(textOf(unknownId)).toContain('no recommendation rec_does_not_exist in this window');
    await client.close();
  });

  it('says there is too little data for an empty window', async () => {
    const client = await httpClient('intelligence-router');
    const r = await call(client, 'optimize_routing_rules', { from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe(
      'Insufficient data: no routed requests between 2001-01-01T00:00:00.000Z and 2001-01-02T00:00:00.000Z. Extend the timeframe or collect more traffic, then retry.',
    );
    await client.close();
  });

  it('serves the optimize_llm_routing prompt with the five steps', async () => {
    const client = await httpClient('intelligence-router');
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['optimize_llm_routing']);
    const p = await client.getPrompt({
      name: 'optimize_llm_routing',
      arguments: { analysis_timeframe: '30d', optimization_goal: 'cost', cost_threshold: '0.02', quality_threshold: '0.9' },
    });
    const text = p.messages[0]?.content.type === 'text' ? p.messages[0].content.text : '';
    for (const step of ['Step 1', 'Step 2', 'Step 3', 'Step 4', 'Step 5']) expect(text).toContain(step);
    expect(text).toContain('optimize_routing_rules timeframe="30d", goal="cost", constraints="cost<0.02,quality>0.9"');
    expect(text).toContain('cost-tracker generate_cost_optimization_plan target_reduction="20%"');
    // The calls that take step 4's ids get the goal and constraints those ids came from.
    expect(text).toContain('create_optimization_plan timeframe="30d", goal="cost", constraints="cost<0.02,quality>0.9"');
    expect(text).toContain('assess_optimization_risks timeframe="30d", goal="cost", constraints="cost<0.02,quality>0.9"');
    await client.close();
  });

  it('cost-tracker lists its tools and plans a target reduction', async () => {
    const client = await httpClient('cost-tracker');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...COST_TOOLS].sort());
    const r = await call(client, 'generate_cost_optimization_plan', { target_reduction: '20%', timeframe: '24h', quality_threshold: 0.5 });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { plan: { targetReductionPct: number; reachable: boolean; statement: string }; sample_size: number };
    expect(s.plan.targetReductionPct).toBe(20);
    expect(s.sample_size).toBe(REQUESTS);
    expect(textOf(r)).toContain(s.plan.statement);
    const bad = await call(client, 'generate_cost_optimization_plan', { target_reduction: '150%' });
    expect(textOf(bad)).toMatch(/target_reduction must be between 0% and 100%/);
    await client.close();
  });

  it('descriptive intelligence-router tools answer over the seeded history with its known numbers', async () => {
    const client = await httpClient('intelligence-router');
    const routing = await call(client, 'get_routing_analytics', { timeframe: '24h' });
    expect(routing.isError).toBeFalsy();
    expect(routing.structuredContent).toMatchObject({ sample_size: REQUESTS, total_requests: REQUESTS, routed_requests: REQUESTS, success_rate: 1 });
    const quality = await call(client, 'get_quality_metrics', { timeframe: '24h' });
    // 14 of the 40 ratings (i % 3 === 0) are 0, the other 26 are 1; people's ratings outrank every other signal.
    expect(quality.structuredContent).toMatchObject({ rated_requests: REQUESTS, quality_sources: { user: REQUESTS, judge: 0, completion: 0 } });
    expect((quality.structuredContent as { avg_quality: number }).avg_quality).toBeCloseTo(26 / 40, 9);
    const patterns = await call(client, 'analyze_request_patterns', { timeframe: '24h' });
    const mix = (patterns.structuredContent as { task_type_mix: Array<{ requests: number }>; complexity_sample_size: number }).task_type_mix;
    expect(mix.reduce((n, t) => n + t.requests, 0)).toBe(REQUESTS);
    expect((patterns.structuredContent as { complexity_sample_size: number }).complexity_sample_size).toBe(REQUESTS);
    const perf = await call(client, 'evaluate_model_performance', { timeframe: '24h', models: ['all'] });
    const cells = (perf.structuredContent as { models: Array<{ requests: number; rated: number }> }).models;
    expect(cells.reduce((n, c) => n + c.requests, 0)).toBe(REQUESTS);
    expect(cells.reduce((n, c) => n + c.rated, 0)).toBe(REQUESTS);
    const slow = await call(client, 'identify_bottlenecks', { timeframe: '24h', type: 'performance' });
    expect((slow.structuredContent as { slow_decisions: { routed_requests: number } }).slow_decisions.routed_requests).toBe(REQUESTS);
    const issues = await call(client, 'identify_quality_issues', { timeframe: '24h', threshold: 0.9 });
    expect((issues.structuredContent as { low_score_count: number }).low_score_count).toBe(14);
    await client.close();
  });

  it('optimize_model_mix and assess_optimization_risks cover what optimize_routing_rules proposes', async () => {
    const client = await httpClient('intelligence-router');
    const args = { timeframe: '24h', goal: 'cost', constraints: 'cost<0.05,quality>0.5' };
    const mix = await call(client, 'optimize_model_mix', args);
    expect(mix.isError).toBeFalsy();
    const rows = (
      mix.structuredContent as {
        model_mix: Array<{ taskType: string; requests: number; current: Record<string, number>; recommended: Record<string, number> }>;
      }
    ).model_mix;
    expect(rows.reduce((n, r) => n + r.requests, 0)).toBe(REQUESTS);
    for (const r of rows) {
      expect(Object.values(r.current).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(Object.values(r.recommended).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    const rules = (await call(client, 'optimize_routing_rules', args)).structuredContent as { recommendations: Array<{ id: string; title: string }> };
    const ids = rules.recommendations.map((r) => r.id);
    // The seed's workflow passes the ids of one call to the next: the same change keeps its id, and is stored for `aigw rules apply`.
    for (const id of ids) expect(await stack.gateway.runtime.gateway.store.getRecommendation(id)).toMatchObject({ id, status: 'proposed' });
    const plan = await call(client, 'create_optimization_plan', { ...args, recommendations: ids.slice(0, 1) });
    expect(plan.isError).toBeFalsy();
    expect((plan.structuredContent as { phases: Array<{ recommendationIds: string[] }> }).phases.flatMap((p) => p.recommendationIds)).toEqual(ids.slice(0, 1));
    const risks = await call(client, 'assess_optimization_risks', { ...args, changes: ids });
    const assessed = (risks.structuredContent as { risks: Array<{ title: string; level: string; qualityRisk: string; mitigations: string[] }> }).risks;
    expect(assessed.length).toBeGreaterThan(0);
    expect(assessed.map((r) => r.title)).toEqual(rules.recommendations.map((r) => r.title));
    for (const r of assessed) {
      expect(['Low', 'Medium', 'High']).toContain(r.level);
      expect(r.qualityRisk).toMatch(/segment quality|no quality signal/);
      expect(r.mitigations.length).toBeGreaterThan(0);
    }
    await client.close();
  });

  it('cost-tracker tools total the same spend the store holds, per model and task type, with the catalog tiers', async () => {
    const db = (stack.gateway.runtime.gateway.store as unknown as { db: Kysely<Database> }).db;
    const spent = await db
      .selectFrom('requests')
      .select((eb) => eb.fn.sum<number>('cost_usd').as('usd'))
      .executeTakeFirstOrThrow();
    const client = await httpClient('cost-tracker');
    const costs = await call(client, 'get_routing_costs', { timeframe: '24h', group_by: 'model,task_type' });
    const c = costs.structuredContent as { total_cost_usd: number; by_model: Array<{ cost_usd: number }>; by_key?: unknown; sample_size: number };
    expect(c.sample_size).toBe(REQUESTS);
    expect(c.total_cost_usd).toBeCloseTo(Number(spent.usd), 9);
    expect(c.by_model.reduce((s, m) => s + m.cost_usd, 0)).toBeCloseTo(c.total_cost_usd, 6);
    expect(c.by_key).toBeUndefined();
    const drivers = await call(client, 'identify_cost_drivers', { timeframe: '24h' });
    const d = drivers.structuredContent as { total_cost_usd: number; premium_low_complexity: { requests: number } | null; data_gaps: string[] };
    expect(d.total_cost_usd).toBeCloseTo(Number(spent.usd), 9);
    // The tool passes the catalog's tiers, so premium-model overuse is measured rather than missing.
    expect(d.premium_low_complexity).not.toBeNull();
    expect(d.data_gaps.join(' ')).not.toContain('no model catalog');
    const badGroup = await call(client, 'get_routing_costs', { group_by: 'colour' });
    expect(badGroup.isError).toBe(true);
    expect(textOf(badGroup)).toMatch(/^Invalid arguments: .*colour/);
    await client.close();
  });
});

describe('MCP over stdio (aigw mcp)', () => {
  it('lists the tools and answers from the configured store', async () => {
    const client = await stdioClient(join(stack.dir, 'aigw.yaml'));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...INTELLIGENCE_TOOLS].sort());
    const r = await call(client, 'create_optimization_plan', { timeframe: '24h', goal: 'cost', quality_threshold: 0.5 });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { sample_size: number; phases: Array<{ name: string; timeline: string }> };
    expect(s.sample_size).toBe(REQUESTS);
    expect(s.phases.map((p) => p.timeline)).toEqual(['Week 1', 'Weeks 2-4', 'Months 2-3']);
    await client.close();
  }, 30_000);

  it('serves the cost-tracker over stdio with the same numbers', async () => {
    const client = await stdioClient(join(stack.dir, 'aigw.yaml'), 'cost-tracker');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...COST_TOOLS].sort());
    const r = await call(client, 'get_routing_costs', { timeframe: '24h', group_by: 'model' });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { sample_size: number }).sample_size).toBe(REQUESTS);
    await client.close();
  }, 30_000);

  it('answers with "store unavailable" when the database cannot be reached', async () => {
    const configPath = join(stack.dir, 'unreachable.yaml');
    writeFileSync(configPath, JSON.stringify({ store: { database_url: 'postgres://postgres@127.0.0.1:1/nothing' } }));
    const client = await stdioClient(configPath, 'cost-tracker');
    const r = await call(client, 'generate_cost_optimization_plan', { timeframe: '1h' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/^Store unavailable: cannot open the store: .*ECONNREFUSED/);
    await client.close();
  }, 30_000);
});
