import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { PredictorFile } from './model-file.ts';

/**
 * A binary copy of a predictor JSON file, made from the JSON the first time it is loaded (and by
 * `npm run build`), so later start-ups skip parsing 10 MB of JSON and decoding base64: the weight
 * vectors are stored as raw little-endian Float32 after a small JSON header holding everything else.
 *
 * The copy is named by the SHA-256 of the JSON's bytes, so a retrained or edited JSON is never served
 * from a stale copy; the header repeats the hash and the router version (the hash of the JSON text the
 * decisions name), and any copy that does not read back whole is ignored and rewritten.
 *
 * Layout: MAGIC (8 bytes) · header length (uint32 LE) · header JSON (UTF-8) · zero padding to a
 * multiple of 4 · Float32 LE values. In the header, each weight vector is {"$f32": [start, length]},
 * counted in values from the start of the Float32 block.
 */
const MAGIC = Buffer.from('AIGWPB01', 'latin1');
/** Keys whose string values are base64 Float32 weight vectors (model-file.ts). */
const WEIGHT_KEYS = new Set(['weights', 'ridge', 'ridgeText', 'idf', 'textIdf']);
/** Copies kept per cache directory (one per JSON content recently loaded; older ones are deleted). */
const KEEP_COPIES = 3;
const PREFIX = 'predictor-';

/** The bytes a copy is keyed by, and the key. */
export function contentKey(jsonBytes: Uint8Array): string {
  return createHash('sha256').update(jsonBytes).digest('hex');
}

export function cachePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${PREFIX}${key.slice(0, 32)}.bin`);
}

interface Header {
  sha256: string;
  version: string;
  floats: number;
  file: unknown;
}

interface F32Ref {
  $f32: [number, number];
}

const isRef = (v: unknown): v is F32Ref => typeof v === 'object' && v !== null && Array.isArray((v as F32Ref).$f32);

/** Little-endian hosts only (every platform Node ships for): elsewhere the JSON is always parsed. */
export const CACHE_SUPPORTED = endianness() === 'LE';

/**
 * The file and router version from a copy, or undefined when there is no usable copy for this key
 * (missing, truncated, another format, another hash). The weight vectors are views into one buffer.
 */
export function readCached(path: string, key: string): { file: unknown; version: string } | undefined {
  if (!CACHE_SUPPORTED) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  return decodeCached(bytes, key);
}

/** readCached of a copy's bytes already read (load-predictor.ts reads them off the main thread). */
export function decodeCached(bytes: Buffer, key: string): { file: unknown; version: string } | undefined {
  if (!CACHE_SUPPORTED) return undefined;
  if (bytes.byteLength < 12 || !bytes.subarray(0, 8).equals(MAGIC)) return undefined;
  const headerBytes = bytes.readUInt32LE(8);
  const dataStart = align4(12 + headerBytes);
  if (dataStart > bytes.byteLength) return undefined;
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerBytes)) as Header;
  } catch {
    return undefined;
  }
  if (header.sha256 !== key || typeof header.version !== 'string' || bytes.byteLength !== dataStart + header.floats * 4) return undefined;
  // Views into the one read buffer (no copy): it is not pooled at this size, so it is 4-byte aligned.
  const data =
    (bytes.byteOffset + dataStart) % 4 === 0
      ? new Float32Array(bytes.buffer, bytes.byteOffset + dataStart, header.floats)
      : new Float32Array(new Uint8Array(bytes.subarray(dataStart)).buffer);
  let broken = false;
  const file = resolveRefs(header.file, (start, length) => {
    if (!(Number.isInteger(start) && Number.isInteger(length) && start >= 0 && length >= 0 && start + length <= header.floats)) {
      broken = true;
      return new Float32Array(0);
    }
    return data.subarray(start, start + length);
  });
  return broken ? undefined : { file, version: header.version };
}

function resolveRefs(value: unknown, vector: (start: number, length: number) => Float32Array): unknown {
  if (isRef(value)) return vector(value.$f32[0], value.$f32[1]);
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, vector));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveRefs(v, vector);
    return out;
  }
  return value;
}

/**
 * Writes the copy of a validated file (its weight vectors still base64) atomically: a concurrent
 * start-up reads either no copy or a whole one. Failures (read-only install, full disk) are the
 * caller's to ignore: the JSON stays the source of truth.
 */
export function writeCached(cacheDir: string, key: string, version: string, file: PredictorFile): string {
  const blocks: Buffer[] = [];
  let floats = 0;
  const skeleton = JSON.stringify(file, function (this: Record<string, unknown>, k, v: unknown) {
    if (typeof v !== 'string' || !WEIGHT_KEYS.has(k)) return v;
    const bytes = Buffer.from(v, 'base64');
    if (bytes.byteLength % 4 !== 0) return v;
    const ref: F32Ref = { $f32: [floats, bytes.byteLength / 4] };
    blocks.push(bytes);
    floats += bytes.byteLength / 4;
    return ref;
  });
  const header = Buffer.from(`{"sha256":${JSON.stringify(key)},"version":${JSON.stringify(version)},"floats":${floats},"file":${skeleton}}`, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  const padding = Buffer.alloc(align4(12 + header.byteLength) - 12 - header.byteLength);
  mkdirSync(cacheDir, { recursive: true });
  const path = cachePath(cacheDir, key);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([MAGIC, length, header, padding, ...blocks]));
  renameSync(tmp, path);
  pruneOldCopies(cacheDir, path);
  return path;
}

/** Keeps the KEEP_COPIES most recently written copies: each retrain of the JSON leaves one behind. */
function pruneOldCopies(cacheDir: string, keep: string): void {
  const copies = readdirSync(cacheDir)
    .filter((name) => name.startsWith(PREFIX) && name.endsWith('.bin'))
    .map((name) => join(cacheDir, name))
    .filter((path) => path !== keep)
    .map((path) => ({ path, mtimeMs: statSync(path).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of copies.slice(KEEP_COPIES - 1)) unlinkSync(old.path);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
