import { execFileSync } from 'node:child_process';

export interface SourceInfo {
  commit: string;
  uncommittedSrcChanges: boolean;
}

/** The commit a benchmark measured, read-only from git; undefined outside a git checkout. */
export function gitSourceInfo(cwd = process.cwd()): SourceInfo | undefined {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedSrcChanges: git('status', '--porcelain', '--', 'src', 'bin', 'package.json') !== '' };
  } catch {
    return undefined;
  }
}
