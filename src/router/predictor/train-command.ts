import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { readOutcomeFiles } from './outcome-rows.ts';
import { trainPredictor, type TrainOptions, type TrainProgress } from './train.ts';

export interface TrainCommandOptions {
  data: string[];
  out: string;
  seed?: number;
  epochs?: number;
  /** Show a progress bar (on stderr); default true. */
  progress?: boolean;
}

export interface TrainCommandResult {
  rows: number;
  models: string[];
  out: string;
}

const STAGE_LABEL: Record<TrainProgress['stage'], string> = {
  features: 'analyzing prompts',
  fit: 'fitting',
  calibrate: 'calibrating',
  refit: 'refitting on all rows',
  ridge: 'fitting text heads',
};

/** `aigw router train --data FILE... --out FILE [--seed N]`: deterministic for a seed. */
export function runTrainCommand(options: TrainCommandOptions): TrainCommandResult {
  const rows = readOutcomeFiles(options.data);
  if (rows.length === 0) throw new Error('no outcome rows in the given files');
  const trainOptions: Partial<TrainOptions> = { seed: options.seed ?? 42 };
  if (options.epochs !== undefined) trainOptions.epochs = options.epochs;
  const bar =
    options.progress === false
      ? null
      : new cliProgress.SingleBar(
          { format: '{stage} [{bar}] {percentage}% | {value}/{total}', hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
  let stage: TrainProgress['stage'] | null = null;
  const file = trainPredictor(rows, trainOptions, (p) => {
    if (!bar) return;
    if (p.stage !== stage) {
      if (stage !== null) bar.stop();
      stage = p.stage;
      bar.start(p.total, 0, { stage: STAGE_LABEL[p.stage].padEnd(22) });
    }
    bar.update(p.done, { stage: STAGE_LABEL[p.stage].padEnd(22) });
  });
  bar?.stop();
  writeFileSync(options.out, `${JSON.stringify(file, null, 1)}\n`);
  return { rows: rows.length, models: Object.keys(file.models), out: options.out };
}
