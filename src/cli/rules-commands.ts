import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import { listRecommendations, ruleOfStoredRecommendation } from '../analytics/recommend/store-recommendations.ts';
import type { RuleRecommendation } from '../analytics/recommend/types.ts';
import { defaultConfigPath, parseConfigYaml } from '../config/load-config.ts';
import { checkTechniquePlan } from '../optimizer/run-technique.ts';
import type { RoutingRule } from '../config/schema.ts';
import type { RecommendationRow, Store } from '../store/types.ts';
import { resolve } from 'node:path';
import { readConfig, withSimulatedFleet } from '../gateway/resolve-config.ts';
import { configuredStoreOptions, openStore } from '../store/open-store.ts';
import type { KyselyStore } from '../store/kysely-store.ts';
import { printTable } from './print-table.ts';

export class ApplyRuleError extends Error {}

/** The rule as it goes into the file: defaults left out, `percent` only for an A/B split. */
function ruleForFile(rule: RoutingRule, percent: number | undefined, note: string): Record<string, unknown> {
  return {
    name: rule.name,
    description: rule.description || note,
    match: rule.match,
    action: rule.action,
    ...(percent !== undefined && percent < 100 ? { percent } : {}),
  };
}

/**
 * Appends a rule to `routing.rules` of a YAML config text and returns the new text. The rest of the
 * file (comments, order, formatting) is kept: the edit goes through the yaml Document API. The result
 * is validated with the config loader, so an invalid config is never returned.
 */
export function addRuleToConfigText(text: string, rule: Record<string, unknown>, source: string): string {
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) throw new ApplyRuleError(`${source} is not valid YAML: ${parsed.errors[0]?.message.split('\n')[0]}`);
  // An empty file has no top-level mapping to add to.
  const doc: Document = parsed.contents === null ? new Document({}) : parsed;
  if (!isMap(doc.contents)) throw new ApplyRuleError(`${source}: the config must be a mapping at the top level`);
  const rules = doc.getIn(['routing', 'rules']);
  if (rules === undefined || rules === null) {
    const routing = doc.get('routing');
    if (routing !== undefined && routing !== null && !isMap(routing)) throw new ApplyRuleError(`${source}: routing must be a mapping`);
    doc.setIn(['routing', 'rules'], doc.createNode([rule]));
  } else if (isSeq(rules)) {
    const names = rules.items.map((item) => (isMap(item) ? item.get('name') : undefined));
    if (names.includes(rule['name'])) throw new ApplyRuleError(`${source} already has a rule named ${String(rule['name'])}`);
    rules.add(doc.createNode(rule));
  } else {
    throw new ApplyRuleError(`${source}: routing.rules must be a list`);
  }
  const next = doc.toString();
  const config = parseConfigYaml(next, `${source} with rule ${String(rule['name'])}`, { checkTechniquePlan });
  // A config without models runs on the simulated fleet: the rule must name the fleet's models.
  if (config.models.length === 0) withSimulatedFleet(config, 'http://127.0.0.1:1', {});
  return next;
}

export interface ApplyResult {
  ruleName: string;
  configPath: string;
  percent: number;
  /** The config file did not exist and was created with the rule. */
  created: boolean;
}

/**
 * `aigw rules apply`: the stored recommendation's rule into the config file (validated before writing,
 * written atomically), then the recommendation marked applied.
 */
export async function applyRecommendation(
  store: Pick<Store, 'getRecommendation' | 'setRecommendationStatus'>,
  opts: { id: string; configPath: string; percent?: number; nowMs: number },
): Promise<ApplyResult> {
  const row = await store.getRecommendation(opts.id);
  if (!row) throw new ApplyRuleError(`no stored recommendation ${opts.id}; \`aigw rules list\` shows them`);
  if (row.status === 'applied') throw new ApplyRuleError(`recommendation ${opts.id} was already applied on ${new Date(row.applied_at ?? 0).toISOString()}`);
  const rule = ruleOfStoredRecommendation(row);
  const note = `from recommendation ${row.id} (${new Date(row.created_at).toISOString().slice(0, 10)}): ${row.title}`;
  // No config yet (right after `aigw demo`): the rule alone makes one.
  const existed = existsSync(opts.configPath);
  const text = existed ? readFileSync(opts.configPath, 'utf8') : '';
  const next = addRuleToConfigText(text, ruleForFile(rule, opts.percent, note), opts.configPath);
  const temp = `${opts.configPath}.aigw-tmp`;
  writeFileSync(temp, next);
  renameSync(temp, opts.configPath);
  await store.setRecommendationStatus(row.id, 'applied', opts.nowMs);
  return { ruleName: rule.name, configPath: opts.configPath, percent: opts.percent ?? 100, created: !existed };
}

function describeRow(row: RecommendationRow): string[] {
  let impact = '';
  let risk = '';
  let confidence = '';
  try {
    const rec = JSON.parse(row.payload) as Partial<RuleRecommendation>;
    const i = rec.expectedImpact;
    if (i) impact = `${i.costChangePct >= 0 ? '+' : ''}${i.costChangePct.toFixed(1)}% cost, quality ${i.avgQualityAfter?.toFixed(3) ?? 'n/a'}`;
    risk = rec.risk?.level ?? '';
    confidence = rec.confidence ?? '';
  } catch {
    impact = '(unreadable payload)';
  }
  return [row.id, new Date(row.created_at).toISOString().slice(0, 16), row.status, row.title, impact, risk, confidence];
}

/** The store `aigw serve` would use (as openConfiguredStore), typed as the kysely store for the listing query. */
async function openRecommendationStore(cwd: string, configPath: string | undefined): Promise<KyselyStore> {
  const { config } = readConfig(cwd, configPath);
  return openStore(configuredStoreOptions(cwd, config.store));
}

function parsePercent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError('a percentage above 0 and at most 100');
  return n;
}

export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('stored routing-rule recommendations: list them, apply one to the config');
  const configPath = () => program.opts<{ config?: string }>().config;

  rules
    .command('list')
    .description('list stored recommendations, newest first')
    .action(async () => {
      const store = await openRecommendationStore(process.cwd(), configPath());
      try {
        const rows = await listRecommendations(store.db);
        printTable(['id', 'created', 'status', 'title', 'expected impact', 'risk', 'confidence'], rows.map(describeRow));
      } finally {
        await store.close();
      }
    });

  rules
    .command('apply')
    .description("add a recommendation's rule to the config file (a running gateway picks it up on SIGHUP)")
    .argument('<id>', 'recommendation id (rec_…)')
    .option('--percent <p>', 'apply to this share of matching traffic only (A/B split)', parsePercent)
    .action(async (id: string, opts: { percent?: number }) => {
      // Without a config file the rule goes into a new ./aigw.yaml (the gateway's default config path).
      const path = configPath() ?? defaultConfigPath(process.cwd()) ?? resolve(process.cwd(), 'aigw.yaml');
      const store = await openRecommendationStore(process.cwd(), path);
      try {
        const result = await applyRecommendation(store, { id, configPath: path, percent: opts.percent, nowMs: Date.now() });
        const split = result.percent < 100 ? ` on ${result.percent}% of matching traffic (the rest is logged as "${result.ruleName} (holdout)")` : '';
        console.log(
          result.created
            ? `Created ${result.configPath} with rule ${result.ruleName}${split}.`
            : `Added rule ${result.ruleName} to ${result.configPath}${split}.`,
        );
        console.log('A running gateway picks it up on SIGHUP: kill -HUP <gateway pid>. The next report compares the A/B arms.');
      } catch (err) {
        if (err instanceof ApplyRuleError) {
          console.error(err.message);
          process.exitCode = 1;
          return;
        }
        throw err;
      } finally {
        await store.close();
      }
    });
}
