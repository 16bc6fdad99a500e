import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { compareVersions, forgetKnownModelDatasets, knownModelDatasets, MODEL_PACKAGE, PRICE_PACKAGE } from './datasets.ts';

/** Runs npm with arguments and returns its stdout (injectable so tests need no registry). */
export type RunNpm = (args: string[]) => Promise<string>;

const execFileAsync = promisify(execFile);

export const runNpm: RunNpm = async (args) => {
  const { stdout } = await execFileAsync('npm', args, { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 });
  return stdout;
};

export interface DatasetUpdate {
  name: string;
  current: string;
  latest?: string;
  /** `updated`, `current` (nothing newer), or `offline` (the registry did not answer; the current one stays). */
  outcome: 'updated' | 'current' | 'offline';
  detail?: string;
}

async function latestVersion(name: string, npm: RunNpm): Promise<string> {
  const out = (await npm(['view', name, 'version', '--json'])).trim();
  const version = JSON.parse(out) as unknown;
  if (typeof version !== 'string') throw new Error(`unexpected answer from npm view ${name}: ${out.slice(0, 80)}`);
  return version;
}

/**
 * Installs newer versions of the price and model datasets into `dir` (normally
 * `<store dir>/known-models/`) when the npm registry has them. The gateway and the CLI use the newer
 * of the bundled and the installed version from their next start (or `SIGHUP` reload).
 */
export async function updateKnownModelDatasets(dir: string, npm: RunNpm = runNpm): Promise<DatasetUpdate[]> {
  const sets = knownModelDatasets(dir);
  const current: Record<string, string> = { [PRICE_PACKAGE]: sets.priceVersion, [MODEL_PACKAGE]: sets.modelsVersion };
  const results: DatasetUpdate[] = [];
  for (const name of [PRICE_PACKAGE, MODEL_PACKAGE]) {
    const was = current[name]!;
    let latest: string;
    try {
      latest = await latestVersion(name, npm);
    } catch (err) {
      results.push({ name, current: was, outcome: 'offline', detail: (err as Error).message.split('\n')[0] });
      continue;
    }
    if (compareVersions(latest, was) <= 0) {
      results.push({ name, current: was, latest, outcome: 'current' });
      continue;
    }
    try {
      mkdirSync(dir, { recursive: true });
      await npm(['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `${name}@${latest}`]);
      results.push({ name, current: was, latest, outcome: 'updated' });
    } catch (err) {
      results.push({ name, current: was, latest, outcome: 'offline', detail: (err as Error).message.split('\n')[0] });
    }
  }
  forgetKnownModelDatasets();
  return results;
}
