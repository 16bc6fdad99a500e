import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { readConfig } from '../gateway/resolve-config.ts';
import { retrainFromStore, retrainOptionsFrom } from '../router/learning/retrain.ts';
import { formatRouterStatus, routerStatus } from '../router/learning/router-status.ts';
import { runTrainCommand } from '../router/predictor/train-command.ts';
import { LearningStore } from '../store/learning-store.ts';
import { openConfiguredStore } from './open-configured-store.ts';

const DAY_MS = 86_400_000;

/** `30d`, `12h`, `90m` → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([dhm])$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('a duration like 30d, 12h or 90m');
  const n = Number.parseFloat(m[1]!);
  return n * (m[2] === 'd' ? DAY_MS : m[2] === 'h' ? 3_600_000 : 60_000);
}

interface TrainOpts {
  data?: string[];
  out?: string;
  seed: number;
  epochs?: number;
  fromStore?: boolean;
  since?: number;
  holdout?: number;
}

/** `aigw router train` (from files, or `--from-store` with guarded promotion) and `aigw router status`. */
export function registerLearningCommands(router: Command, configPath: () => string | undefined): void {
  router
    .command('train')
    .description(
      "train the quality predictor on outcome files, or --from-store on them plus the gateway's learning rows (compared with the live router, promoted only when it wins)",
    )
    .option('-d, --data <files...>', 'outcomes JSONL files (id, prompt, scores[, costs])')
    .option('-o, --out <file>', 'model file to write (required without --from-store)')
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), 1)
    .option('--epochs <n>', 'training epochs', (v) => Number.parseInt(v, 10))
    .option('--from-store', "also train on the store's scored learning rows; evaluate on the newest of them and promote when better")
    .option('--since <duration>', 'learning rows from this far back (with --from-store), e.g. 30d', parseDuration)
    .option('--holdout <share>', 'newest share of learning rows held out for the comparison', Number.parseFloat)
    .action(async (opts: TrainOpts) => {
      if (!opts.fromStore) {
        if (!opts.data?.length || !opts.out) throw new InvalidArgumentError('--data and --out are required without --from-store');
        const result = runTrainCommand({ data: opts.data, out: opts.out, seed: opts.seed, epochs: opts.epochs });
        console.error(`wrote ${opts.out}`);
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      const { config } = readConfig(process.cwd(), configPath());
      const store = await openConfiguredStore(process.cwd(), configPath());
      try {
        const options = retrainOptionsFrom(config.routing.learning, Date.now(), {
          data: opts.data,
          sinceMs: opts.since,
          holdoutShare: opts.holdout,
          seed: opts.seed,
        });
        const result = await retrainFromStore(new LearningStore(store.db), config, options);
        console.log(`${result.status === 'live' ? 'promoted' : 'kept as a candidate'}: ${result.version} (${result.id})`);
        console.log(`trained on ${result.trainRows} rows (${result.learningRows} from the store); ${result.evaluation.reason}`);
        if (opts.out) writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
      } finally {
        await store.close();
      }
    });

  router
    .command('status')
    .description('the live router version, outcomes learned per model and task type, and the last evaluations')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { config } = readConfig(process.cwd(), configPath());
      const store = await openConfiguredStore(process.cwd(), configPath());
      try {
        const status = await routerStatus(new LearningStore(store.db), config);
        console.log(opts.json ? JSON.stringify(status, null, 2) : formatRouterStatus(status));
      } finally {
        await store.close();
      }
    });
}
