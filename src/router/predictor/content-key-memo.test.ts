import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAndRemember, rememberedKey } from './content-key-memo.ts';
import { DEFAULT_MODEL_PATH, loadPredictor } from './load-predictor.ts';
import { contentKey } from './model-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'aigw-key-memo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const original = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
/** The same model with one digit of the first thetaBase changed: same size, other weights. */
const sameSizeEdit = original.replace(/("thetaBase": *-?)(\d)/, (_m, head: string, digit: string) => `${head}${digit === '0' ? '1' : '0'}`);
/** A time after which a file just written counts as settled (not racy). */
const later = () => Date.now() + 60_000;

function modelCopy(name: string, text = original): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the remembered hash of a model file', () => {
  const fromJson = loadPredictor(DEFAULT_MODEL_PATH, { cacheDir: null });

  it('is the SHA-256 of the bytes and is found again while the file is unchanged', () => {
    const cacheDir = join(dir, 'plain');
    const path = modelCopy('plain.json');
    const { key } = readAndRemember(cacheDir, path, later());
    expect(key).toBe(contentKey(Buffer.from(original, 'utf8')));
    expect(rememberedKey(cacheDir, path)).toBe(key);
    expect(loadPredictor(path, { cacheDir }).version).toBe(fromJson.version);
  });

  it('is not written for a file modified within the last two seconds', () => {
    const cacheDir = join(dir, 'racy');
    const path = modelCopy('racy.json');
    readAndRemember(cacheDir, path);
    expect(rememberedKey(cacheDir, path)).toBeUndefined();
  });

  it('is not used after a same-size edit whose mtime was set back: the edited model is served', () => {
    const cacheDir = join(dir, 'edited');
    const path = modelCopy('edited.json');
    readAndRemember(cacheDir, path, later());
    loadPredictor(path, { cacheDir });
    const { atime, mtime } = statSync(path);
    writeFileSync(path, sameSizeEdit);
    utimesSync(path, atime, mtime);
    expect(statSync(path).size).toBe(Buffer.byteLength(original));
    expect(rememberedKey(cacheDir, path)).toBeUndefined();
    const edited = loadPredictor(path, { cacheDir });
    expect(edited.version).not.toBe(fromJson.version);
    expect(edited.version).toBe(loadPredictor(path, { cacheDir: null }).version);
  });

  it('is not used for a file replaced by rename, and is keyed by path', () => {
    const cacheDir = join(dir, 'renamed');
    const path = modelCopy('renamed.json');
    readAndRemember(cacheDir, path, later());
    const other = modelCopy('other.json', sameSizeEdit);
    expect(rememberedKey(cacheDir, other)).toBeUndefined();
    renameSync(other, path);
    expect(rememberedKey(cacheDir, path)).toBeUndefined();
    expect(loadPredictor(path, { cacheDir }).version).toBe(loadPredictor(path, { cacheDir: null }).version);
  });

  it('falls back to reading the file when the remembered copy is gone', () => {
    const cacheDir = join(dir, 'gone');
    const path = modelCopy('gone.json');
    readAndRemember(cacheDir, path, later());
    for (const name of readdirSync(cacheDir)) if (name.endsWith('.bin')) rmSync(join(cacheDir, name));
    expect(loadPredictor(path, { cacheDir }).version).toBe(fromJson.version);
    expect(readdirSync(cacheDir).some((name) => name.endsWith('.bin'))).toBe(true);
  });
});
