import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readAndRemember, rememberedKey } from './content-key-memo.ts';
import { cachePath, CACHE_SUPPORTED, readCached, writeCached } from './model-cache.ts';
import { DENSE_FEATURE_NAMES } from '../analyze/dense-features.ts';
import { DEFAULT_HASHING, FEATURE_SPEC_VERSION } from '../analyze/feature-spec.ts';
import { IrtQualityPredictor } from './irt-predictor.ts';
import { PredictorFile } from './model-file.ts';

/** The trained model shipped with the package, found relative to this file (not the working directory). */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../models/router-default.json', import.meta.url));

/**
 * Where binary copies of model files are kept (model-cache.ts): the package's own cache folder, the
 * place build tools keep derived files; `npm run build` fills it for the shipped model.
 */
const DEFAULT_MODEL_CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/aigw', import.meta.url));

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

function validated(json: unknown): PredictorFile {
  const file = PredictorFile.parse(json);
  assertCompatible(file);
  return file;
}

export function predictorFromJson(text: string): IrtQualityPredictor {
  const file = validated(JSON.parse(text));
  return new IrtQualityPredictor(file, `irt-v${file.version}-${fnv1aHex(text)}`);
}

interface LoadOptions {
  /** Folder of the binary copies; null reads the JSON every time. */
  cacheDir?: string | null;
}

/**
 * The predictor of a model file, from its binary copy when one matches the file's bytes (a few ms
 * instead of ~0.3 s of JSON parsing and base64 decoding); otherwise from the JSON, leaving a copy for
 * the next start-up when the cache folder is writable. Both give the same predictor and version.
 */
export function loadPredictor(path: string = DEFAULT_MODEL_PATH, options: LoadOptions = {}): IrtQualityPredictor {
  const preload = preloads.get(path);
  if (preload && options.cacheDir === undefined) {
    preloads.delete(path);
    if (preload.predictor && preload.stamp === fileStamp(path)) return preload.predictor;
  }
  const cacheDir = options.cacheDir === undefined ? DEFAULT_MODEL_CACHE_DIR : options.cacheDir;
  if (cacheDir === null || !CACHE_SUPPORTED) return predictorFromJson(readFileSync(path, 'utf8'));
  // An unchanged file is found by its remembered hash without reading it (content-key-memo.ts).
  const remembered = rememberedKey(cacheDir, path);
  const fromCopy = remembered === undefined ? undefined : fromCachedCopy(cacheDir, remembered);
  if (fromCopy) return fromCopy;
  const { bytes, key } = readAndRemember(cacheDir, path);
  const cached = key === remembered ? undefined : fromCachedCopy(cacheDir, key);
  if (cached) return cached;
  const text = bytes.toString('utf8');
  const file = validated(JSON.parse(text));
  const version = `irt-v${file.version}-${fnv1aHex(text)}`;
  try {
    writeCached(cacheDir, key, version, file);
  } catch {
    // A read-only install or a full disk: the JSON is still the model, only start-up stays slower.
  }
  return new IrtQualityPredictor(file, version);
}

function fromCachedCopy(cacheDir: string, key: string): IrtQualityPredictor | undefined {
  const cached = readCached(cachePath(cacheDir, key), key);
  if (!cached) return undefined;
  const parsed = PredictorFile.safeParse(cached.file);
  if (!parsed.success) return undefined;
  assertCompatible(parsed.data);
  return new IrtQualityPredictor(parsed.data, cached.version);
}

/**
 * Loads started by preloadPredictor: pending (no predictor yet) or done, until loadPredictor takes them;
 * `stamp` is the file's size and mtime when it was read: a file replaced since is read again.
 */
const preloads = new Map<string, { predictor?: IrtQualityPredictor; stamp?: string }>();

function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Loads the model file at the next turn of the event loop, for the next loadPredictor(path) to take:
 * the gateway calls it before opening the store, so the load runs while the store's write thread boots
 * (its own thread) instead of after it. A loadPredictor(path) that comes first loads the file itself and
 * cancels this one; a failed preload leaves the error to that call.
 */
export function preloadPredictor(path: string = DEFAULT_MODEL_PATH): void {
  if (preloads.has(path)) return;
  const entry: { predictor?: IrtQualityPredictor; stamp?: string } = {};
  preloads.set(path, entry);
  setImmediate(() => {
    if (preloads.get(path) !== entry) return;
    try {
      entry.stamp = fileStamp(path);
      entry.predictor = loadPredictor(path, { cacheDir: DEFAULT_MODEL_CACHE_DIR });
    } catch {
      preloads.delete(path);
    }
  });
}
