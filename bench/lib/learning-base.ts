import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { predictorFromJson, loadPredictor } from '../../src/router/predictor/load-predictor.ts';
import type { IrtQualityPredictor } from '../../src/router/predictor/irt-predictor.ts';
import { readOutcomeFiles } from '../../src/router/predictor/outcome-rows.ts';
import { trainPredictor } from '../../src/router/predictor/train.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The files the shipped model is trained on (docs/router.md, "the shipped model"). */
export const SHIPPED_TRAINING_FILES = [
  'mmlu-dev.jsonl',
  'routerbench-arc-challenge-train.jsonl',
  'routerbench-winogrande-train.jsonl',
  'routerbench-mbpp-train.jsonl',
];
/** The shipped model's seed (docs/router.md): the base and the offline routers are trained with it. */
export const SHIPPED_SEED = 42;
const SHARED_DATA = resolve(repo, '..', 'shared', 'data');

export interface BenchBase {
  predictor: IrtQualityPredictor;
  /** The file a gateway serves it from (routing.model_file); undefined: the shipped model. */
  modelFile: string | undefined;
  description: string;
  /** The outcome files the base was trained on: a user retraining (`aigw router train --from-store --data …`) trains on them too. */
  trainingFiles: string[];
}

/**
 * A hash of the trainer's and the analyzer's source: a cached base trained by other code is not reused
 * (a change to training would otherwise leave the bench on a stale base).
 */
function trainingCodeHash(): string {
  const hash = createHash('sha256');
  for (const dir of ['predictor', 'analyze']) {
    const root = join(repo, 'src', 'router', dir);
    for (const f of readdirSync(root).sort()) if (f.endsWith('.ts') && !f.endsWith('.test.ts')) hash.update(readFileSync(join(root, f)));
  }
  return hash.digest('hex').slice(0, 12);
}

/**
 * The predictor the benchmark's gateway starts from. The shipped model was trained on the shared files,
 * evaluation slice included, so for one of those files its difficulty head would score its own training
 * prompts in-sample; the base is then the shipped configuration (seed 42) trained on the *other* shared
 * files — what the shipped router is for prompts it has never seen, as for any file outside the repository.
 */
export function benchBase(file: string, choice: 'leave-out' | 'shipped'): BenchBase {
  const name = basename(file);
  if (choice === 'shipped' || !SHIPPED_TRAINING_FILES.includes(name))
    return {
      predictor: loadPredictor(),
      modelFile: undefined,
      description: 'the shipped model (models/router-default.json)',
      trainingFiles: readdirSync(SHARED_DATA)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(SHARED_DATA, f)),
    };
  const others = SHIPPED_TRAINING_FILES.filter((f) => f !== name).map((f) => join(SHARED_DATA, f));
  const missing = others.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new Error(`--base leave-out needs the shared training files: missing ${missing.join(', ')}`);
  const cacheDir = join(repo, 'bench', '.cache');
  const cached = join(cacheDir, `learning-base-without-${name.replace(/\.jsonl$/, '')}-${trainingCodeHash()}.json`);
  let text: string;
  if (existsSync(cached)) {
    text = readFileSync(cached, 'utf8');
  } else {
    text = JSON.stringify(trainPredictor(readOutcomeFiles(others), { seed: SHIPPED_SEED }));
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cached, text);
  }
  return {
    predictor: predictorFromJson(text),
    modelFile: cached,
    trainingFiles: others,
    description: `the shipped configuration (seed 42) trained on ${others.map((f) => basename(f)).join(', ')} (not on ${name})`,
  };
}
