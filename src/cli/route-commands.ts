import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { config as zodConfig } from 'zod';
import { buildRouter } from '../gateway/build-router.ts';
import { needsSimulatedFleet, readConfig, withSimulatedFleet } from '../gateway/resolve-config.ts';
import type { GatewayConfig } from '../config/schema.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import { LiveStats } from '../router/live-stats.ts';
import type { Router } from '../router/router.ts';
import { printRouteDecision, printSimulation, type SimulatedRoute } from './print-routes.ts';

/** The config `aigw serve` would run with in `cwd`, with the simulated fleet when it would start one. */
function routingConfig(configPath: string | undefined): GatewayConfig {
  const { config } = readConfig(process.cwd(), configPath);
  // The fleet is never called here; its URL only has to be valid.
  return needsSimulatedFleet(config, process.env) ? withSimulatedFleet(config, 'http://127.0.0.1:4100', process.env) : config;
}

function routerFor(configPath: string | undefined): Router {
  return buildRouter(routingConfig(configPath), new LiveStats());
}

interface PromptRow {
  prompt?: string;
  messages?: ChatMessage[];
  model?: string;
  metadata?: Record<string, string>;
}

function readPromptRows(file: string): PromptRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as PromptRow;
      } catch {
        throw new Error(`${file}:${i + 1}: not valid JSON`);
      }
    });
}

/**
 * `aigw route`: a module of its own so that showing one decision (used in loops and scripts) loads the
 * router and the config only, not the training, evaluation and store code `aigw router` and `aigw eval` need.
 */
export function registerRouteCommands(program: Command): void {
  const configPath = () => program.opts<{ config?: string }>().config;

  const route = program
    .command('route')
    .description('show the routing decision for a prompt (no model is called)')
    .argument('[prompt]', 'the prompt')
    .option('-m, --model <routingModel>', 'routing model', 'auto')
    .option('--goal <goal>', 'cost | speed | quality | balanced')
    .option('--min-quality <q>', 'required predicted quality 0–1', Number.parseFloat)
    .option('--json', 'print the decision as JSON')
    .action((prompt: string | undefined, opts: { model: string; goal?: string; minQuality?: number; json?: boolean }) => {
      if (!prompt) {
        route.help();
        return;
      }
      // Each schema parses once here: compiling zod's fast paths would cost more than it saves.
      zodConfig({ jitless: true });
      const config = routingConfig(configPath());
      const router = buildRouter(config, new LiveStats());
      const outcome = router.decide({
        routingModel: opts.model,
        messages: [{ role: 'user', content: prompt }],
        overrides: {
          ...(opts.goal ? { goal: opts.goal as 'cost' } : {}),
          ...(opts.minQuality !== undefined ? { minQuality: opts.minQuality } : {}),
        },
      });
      if (!outcome.ok) {
        console.error(`No model chosen: ${outcome.message}`);
        process.exitCode = 1;
        return;
      }
      if (opts.json) console.log(JSON.stringify(outcome.decision, null, 2));
      else printRouteDecision(outcome.decision, console.log, config.models);
    });

  route
    .command('simulate')
    .description('route many prompts through the policy and compare with always using the strongest model')
    .requiredOption('-i, --input <file>', 'JSONL rows with `prompt` or `messages` (optional `model`, `metadata`)')
    .action((opts: { input: string }) => {
      const router = routerFor(configPath());
      const results: SimulatedRoute[] = readPromptRows(opts.input).map((row, i) => {
        const messages = row.messages ?? [{ role: 'user' as const, content: row.prompt ?? '' }];
        const outcome = router.decide({ routingModel: row.model ?? 'auto', messages, metadata: row.metadata });
        return { index: i + 1, outcome };
      });
      printSimulation(results);
    });

  route
    .command('score')
    .description('write predicted quality per model for each row: {"id", "scores": {model: p}} (reads only id and prompt)')
    .requiredOption('-i, --input <file>', 'JSONL with at least `id` and `prompt`')
    .requiredOption('--models <ids>', 'comma-separated model ids', (v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .requiredOption('-o, --out <file>', 'output JSONL')
    .option('--model-file <file>', 'trained predictor (default: the shipped one)')
    .action(async (opts: { input: string; models: string[]; out: string; modelFile?: string }) => {
      const { runScoreCommand } = await import('../router/eval/score-command.ts');
      const { rows } = runScoreCommand({ input: opts.input, models: opts.models, out: opts.out, modelFile: opts.modelFile });
      console.error(`scored ${rows} rows for ${opts.models.length} models → ${opts.out}`);
    });
}
