import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { buildRouter } from '../gateway/build-router.ts';
import { needsSimulatedFleet, readConfig, withSimulatedFleet } from '../gateway/resolve-config.ts';
import type { GatewayConfig } from '../config/schema.ts';
import type { ChatMessage } from '../providers/chat-schema.ts';
import { runEvalCommand } from '../router/eval/eval-command.ts';
import { runScoreCommand } from '../router/eval/score-command.ts';
import { LiveStats } from '../router/live-stats.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../router/predictor/train.ts';
import type { Router } from '../router/router.ts';
import { registerClassifierEval } from './classifier-commands.ts';
import { registerLearningCommands } from './learning-commands.ts';
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

export function registerRouterCommands(program: Command): void {
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
    .action((opts: { input: string; models: string[]; out: string; modelFile?: string }) => {
      const { rows } = runScoreCommand({ input: opts.input, models: opts.models, out: opts.out, modelFile: opts.modelFile });
      console.error(`scored ${rows} rows for ${opts.models.length} models → ${opts.out}`);
    });

  const routerCommand = program.command('router').description('the learned quality predictor and its learning loop');
  registerLearningCommands(routerCommand, configPath);

  const evalCommand = program.command('eval').description('evaluate the router');
  registerClassifierEval(evalCommand);
  evalCommand
    .command('routing')
    .description('RouteLLM metrics for a strong/weak pair and the RouterBench cost–quality view (k-fold cross-validated)')
    .requiredOption('-d, --data <files...>', 'outcomes JSONL files')
    .option('--strong <model>', 'strong model of the pair')
    .option('--weak <model>', 'weak model of the pair')
    .option('-o, --out <file>', 'JSON report (SVG plots are written beside it)', 'router-eval.json')
    .option('--folds <k>', 'k for k-fold cross-validation', (v) => Number.parseInt(v, 10), 5)
    .option('--seed <n>', 'fold seed', (v) => Number.parseInt(v, 10), 1)
    .option('--model-file <file>', 'score with this trained model instead of cross-validating')
    .option('--by-dataset', 'leave one dataset out instead of random folds: each dataset scored by a model trained on the others')
    .option(
      '--leave-model-out',
      'leave models out: each model scored by a predictor trained without its rows, knowing it only by its mean score on another dataset',
    )
    .option('--model-groups <k>', 'with --leave-model-out: models left out together per training', (v) => Number.parseInt(v, 10), 6)
    .option('--train-options <json>', 'training options of the cross-validated models, e.g. \'{"stacking":true}\'', parseTrainOptions)
    .action(
      (opts: {
        data: string[];
        strong?: string;
        weak?: string;
        out: string;
        folds: number;
        seed: number;
        modelFile?: string;
        byDataset?: boolean;
        leaveModelOut?: boolean;
        modelGroups?: number;
        trainOptions?: Partial<TrainOptions>;
      }) => {
        const report = runEvalCommand({ ...opts, train: opts.trainOptions, progress: true });
        printEvalSummary(report);
        console.log(`\nreport: ${opts.out}${report.plots.length ? `\nplots: ${report.plots.join(', ')}` : ''}`);
      },
    );
}

function parseTrainOptions(json: string): Partial<TrainOptions> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InvalidArgumentError('not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('must be a JSON object');
  const known = new Set(Object.keys(DEFAULT_TRAIN_OPTIONS));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown training options: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return parsed;
}

function printEvalSummary(report: ReturnType<typeof runEvalCommand>): void {
  const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  console.log(`\n${report.method} — strong ${report.strong}, weak ${report.weak}\n`);
  for (const d of report.datasets) {
    console.log(`${d.dataset} (${d.rows} rows)`);
    if (d.pair) {
      console.log(
        `  pair ${d.pair.strong} vs ${d.pair.weak}: APGR ${d.pair.apgr.toFixed(3)}  CPT(50%) ${pct(d.pair.cpt50)}  CPT(80%) ${pct(d.pair.cpt80)}   random: APGR ${d.pair.random.apgr.toFixed(3)}  oracle: APGR ${d.pair.oracle.apgr.toFixed(3)}`,
      );
    }
    for (const x of d.proxies ?? []) {
      console.log(
        `  ${x.name}: ${x.strong} vs ${x.weak} (scored as ${x.servedWeak}): APGR ${x.apgr.toFixed(3)}   random ${x.random.apgr.toFixed(3)}  oracle ${x.oracle.apgr.toFixed(3)}`,
      );
    }
    if (d.costQuality) {
      const c = d.costQuality;
      console.log(
        `  cost–quality: router area ${c.routerArea.toFixed(4)} vs zero router ${c.zeroArea.toFixed(4)}; best single ${c.bestSingle.label} ` +
          `(${c.bestSingle.quality.toFixed(3)} at $${c.bestSingle.costUsd.toExponential(2)}) matched at ${pct(c.costShareToMatchBest)} of its cost`,
      );
    }
  }
}
