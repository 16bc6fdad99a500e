import { closeSync, fstatSync, openSync, read, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readAndRemember, rememberedKey } from './content-key-memo.ts';
import { cachePath, CACHE_SUPPORTED, decodeCached, readCached, writeCached } from './model-cache.ts';
import { DENSE_FEATURE_NAMES } from '../analyze/dense-features.ts';
import { DEFAULT_HASHING, FEATURE_SPEC_VERSION } from '../analyze/feature-spec.ts';
import { IrtQualityPredictor, SERVING_RULES } from './irt-predictor.ts';
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

/**
 * The router version of a file's predictions: the file's format version, the serving rules' version
 * (SERVING_RULES: the same weights predict differently when those change, and decision rows and learned
 * states must tell the two apart) and a hash of the file's text. Binary copies store only the file's
 * part (`irt-v1-<hash>`), so a copy made before a change of the serving rules gets the new version.
 */
function routerVersion(fileVersion: string): string {
  return fileVersion.replace(/^irt-v(\d+)-/, `irt-v$1.s${SERVING_RULES}-`);
}

function fileVersionOf(file: PredictorFile, text: string): string {
  return `irt-v${file.version}-${fnv1aHex(text)}`;
}

export function predictorFromJson(text: string): IrtQualityPredictor {
  const file = validated(JSON.parse(text));
  return new IrtQualityPredictor(file, routerVersion(fileVersionOf(file, text)));
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
  const fileVersion = fileVersionOf(file, text);
  try {
    writeCached(cacheDir, key, fileVersion, file);
  } catch {
    // A read-only install or a full disk: the JSON is still the model, only start-up stays slower.
  }
  return new IrtQualityPredictor(file, routerVersion(fileVersion));
}

function fromCachedCopy(cacheDir: string, key: string, bytes?: Buffer): IrtQualityPredictor | undefined {
  const cached = bytes ? decodeCached(bytes, key) : readCached(cachePath(cacheDir, key), key);
  if (!cached) return undefined;
  const parsed = PredictorFile.safeParse(cached.file);
  if (!parsed.success) return undefined;
  assertCompatible(parsed.data);
  return new IrtQualityPredictor(parsed.data, routerVersion(cached.version));
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

/** Where the preload of `path` stands (for tests and diagnostics): none, pending, or loaded and not yet taken. */
export function preloadState(path: string = DEFAULT_MODEL_PATH): 'none' | 'pending' | 'loaded' {
  const entry = preloads.get(path);
  return entry === undefined ? 'none' : entry.predictor ? 'loaded' : 'pending';
}

/**
 * Starts loading the model file for the next loadPredictor(path) to take, and resolves when it is loaded
 * (never rejects: a failed preload leaves the error to that call). The gateway calls it before opening
 * the store: the binary copy (7.5 MB, ~25 ms of CPU to read) is read on libuv's thread pool while the
 * main thread works, and decoded when it arrives; a file without a remembered copy loads at the next
 * turn of the event loop. A loadPredictor(path) that comes first loads the file itself and cancels this one.
 */
export function preloadPredictor(path: string = DEFAULT_MODEL_PATH): Promise<void> {
  if (preloads.has(path)) return Promise.resolve();
  const entry: { predictor?: IrtQualityPredictor; stamp?: string } = {};
  preloads.set(path, entry);
  const settle = (load: () => IrtQualityPredictor | undefined) => {
    if (preloads.get(path) !== entry) return;
    try {
      entry.predictor = load();
      if (!entry.predictor) preloads.delete(path);
    } catch {
      preloads.delete(path);
    }
  };
  const cacheDir = DEFAULT_MODEL_CACHE_DIR;
  entry.stamp = fileStamp(path);
  const key = CACHE_SUPPORTED ? rememberedKey(cacheDir, path) : undefined;
  if (key === undefined) {
    return new Promise((resolve) =>
      setImmediate(() => {
        settle(() => loadPredictor(path, { cacheDir }));
        resolve();
      }),
    );
  }
  return readWhole(cachePath(cacheDir, key)).then((bytes) => settle(() => (bytes ? fromCachedCopy(cacheDir, key, bytes) : undefined)));
}

/**
 * A file's bytes read by one thread-pool job (fs.readFile reads in 512 KB jobs, each of which waits
 * for a busy main thread to start the next); undefined when it cannot be read.
 */
function readWhole(path: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    let fd: number;
    let bytes: Buffer;
    try {
      fd = openSync(path, 'r');
      bytes = Buffer.allocUnsafe(fstatSync(fd).size);
    } catch {
      resolve(undefined);
      return;
    }
    const next = (offset: number) =>
      read(fd, bytes, offset, bytes.byteLength - offset, offset, (err, n) => {
        if (!err && n > 0 && offset + n < bytes.byteLength) return next(offset + n);
        closeSync(fd);
        resolve(err ? undefined : bytes.subarray(0, offset + n));
      });
    next(0);
  });
}
