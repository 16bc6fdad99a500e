import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import type { BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { contentKey } from './model-cache.ts';

/**
 * Remembers the SHA-256 of a model JSON under the file's identity (device, inode, size, mtime and
 * ctime, in nanoseconds), so a start-up whose file is unchanged finds its binary copy from one stat
 * instead of reading and hashing 10 MB.
 *
 * A memo is only trusted for the exact identity it was written with: a rewrite changes the ctime (which
 * `utimes` cannot set back), a replacement by rename changes the inode. It is written only for a file
 * whose mtime and ctime are at least RACY_MS old when it is hashed, so a second write landing in the
 * same clock tick as the hashed one (same size, same timestamps) cannot be hidden: the same rule git
 * uses for its index ("racy git").
 */
const RACY_MS = 2000n;
const NS_PER_MS = 1_000_000n;

interface Memo {
  path: string;
  identity: string;
  sha256: string;
}

function identity(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** One memo file per model path, named by a short hash of the path. */
function memoPath(cacheDir: string, path: string): string {
  return join(cacheDir, `source-${contentKey(Buffer.from(path, 'utf8')).slice(0, 16)}.json`);
}

/** The remembered SHA-256 of the file at `path`, or undefined when the file is not the one remembered. */
export function rememberedKey(cacheDir: string, path: string): string | undefined {
  let memo: Memo;
  try {
    memo = JSON.parse(readFileSync(memoPath(cacheDir, path), 'utf8')) as Memo;
  } catch {
    return undefined;
  }
  let stats: BigIntStats;
  try {
    stats = statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
  const matches = memo.path === path && memo.identity === identity(stats) && typeof memo.sha256 === 'string';
  return matches ? memo.sha256 : undefined;
}

/**
 * The file's bytes and their SHA-256, remembering the hash when the file held still while it was read
 * and is old enough not to be racy. Failing to write the memo (read-only install) only costs speed.
 */
export function readAndRemember(cacheDir: string, path: string, nowMs: number = Date.now()): { bytes: Buffer; key: string } {
  const fd = openSync(path, 'r');
  let bytes: Buffer;
  let before: BigIntStats;
  let after: BigIntStats;
  try {
    before = fstatSync(fd, { bigint: true });
    bytes = readFileSync(fd);
    after = fstatSync(fd, { bigint: true });
  } finally {
    closeSync(fd);
  }
  const key = contentKey(bytes);
  const nowNs = BigInt(Math.floor(nowMs)) * NS_PER_MS;
  const settled = nowNs - after.mtimeNs >= RACY_MS * NS_PER_MS && nowNs - after.ctimeNs >= RACY_MS * NS_PER_MS;
  if (settled && identity(before) === identity(after) && BigInt(bytes.byteLength) === after.size) {
    try {
      writeMemo(cacheDir, path, { path, identity: identity(after), sha256: key });
    } catch {
      // A read-only cache folder: the next start-up hashes the file again.
    }
  }
  return { bytes, key };
}

function writeMemo(cacheDir: string, path: string, memo: Memo): void {
  mkdirSync(cacheDir, { recursive: true });
  const target = memoPath(cacheDir, path);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(memo));
  renameSync(tmp, target);
}
