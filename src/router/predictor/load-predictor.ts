import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DENSE_FEATURE_NAMES } from '../analyze/dense-features.ts';
import { DEFAULT_HASHING, FEATURE_SPEC_VERSION } from '../analyze/feature-spec.ts';
import { IrtQualityPredictor } from './irt-predictor.ts';
import { PredictorFile } from './model-file.ts';

/** The trained model shipped with the package, found relative to this file (not the working directory). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../models/router-default.json', import.meta.url));

/** Short content hash: the router version names the exact weights a decision used. */
function fnv1aHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Throws when the file was trained with a feature layout the analyzer no longer produces. */
export function assertCompatible(file: PredictorFile): void {
  const spec = file.featureSpec;
  const sameHashing = JSON.stringify(spec.hashing) === JSON.stringify(DEFAULT_HASHING);
  const sameDense = spec.dense.length === DENSE_FEATURE_NAMES.length && spec.dense.every((n, i) => n === DENSE_FEATURE_NAMES[i]);
  if (spec.version !== FEATURE_SPEC_VERSION || !sameHashing || !sameDense) {
    throw new Error('router model file was trained with a different feature layout; retrain it with `aigw router train`');
  }
}

export function predictorFromJson(text: string): IrtQualityPredictor {
  const file = PredictorFile.parse(JSON.parse(text));
  assertCompatible(file);
  return new IrtQualityPredictor(file, `irt-v${file.version}-${fnv1aHex(text)}`);
}

export function loadPredictor(path: string = DEFAULT_MODEL_PATH): IrtQualityPredictor {
  return predictorFromJson(readFileSync(path, 'utf8'));
}
