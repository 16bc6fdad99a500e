import { InvalidArgumentError, type Command } from 'commander';
import { runEvalCommand } from '../router/eval/eval-command.ts';
import { DEFAULT_TRAIN_OPTIONS, type TrainOptions } from '../router/predictor/train.ts';
import { registerClassifierEval } from './classifier-commands.ts';
import { registerLearningCommands } from './learning-commands.ts';

export function registerRouterCommands(program: Command): void {
  const configPath = () => program.opts<{ config?: string }>().config;

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
    .option('--held-out <datasets...>', "with --by-dataset: only these datasets' folds (each scored by a model trained on all the others)")
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
        heldOut?: string[];
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
        `  cost–quality: router area ${c.routerArea.toFixed(4)} vs zero router ${c.zeroArea.toFixed(4)}` +
          (c.trainedZeroArea === undefined ? '' : ` (from training means: ${c.trainedZeroArea.toFixed(4)})`) +
          `; best single ${c.bestSingle.label} ` +
          `(${c.bestSingle.quality.toFixed(3)} at $${c.bestSingle.costUsd.toExponential(2)}) matched at ${pct(c.costShareToMatchBest)} of its cost`,
      );
    }
    if (d.byFold) {
      const range = (xs: Array<number | null>, digits: number) => {
        const v = xs.filter((x): x is number => x !== null);
        return v.length > 0 ? `${Math.min(...v).toFixed(digits)} … ${Math.max(...v).toFixed(digits)}` : 'n/a';
      };
      const area = d.byFold.areaVsZero.some((x) => x !== null) ? `; area − zero router ${range(d.byFold.areaVsZero, 4)}` : '';
      console.log(`  per fold: APGR ${range(d.byFold.apgr, 3)}${area}`);
    }
  }
}
