import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { GatewayConfig } from './schema.ts';
import { checkReferences, type TechniquePlanCheck } from './check-references.ts';
import { applyProviderLimits } from './provider-limits.ts';
import { fillKnownModels } from './known-models/fill-known-models.ts';
import { ConfigError } from './config-error.ts';

/** `models[2].pricing.input` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

export interface ParseConfigOptions {
  /** Validates `optimizer.task_types` plans; without it they are checked only against the schema. */
  checkTechniquePlan?: TechniquePlanCheck;
}

/** Validates an already-parsed config object; throws ConfigError naming the path of every bad field. */
export function parseConfig(raw: unknown, source = 'config', opts: ParseConfigOptions = {}): GatewayConfig {
  const result = GatewayConfig.safeParse(fillKnownModels(raw ?? {}));
  if (!result.success) throw new ConfigError(source, formatIssues(result.error.issues));
  const refProblems = checkReferences(result.data, opts.checkTechniquePlan);
  if (refProblems.length > 0) throw new ConfigError(source, refProblems);
  return applyProviderLimits(result.data);
}

export function parseConfigYaml(text: string, source = 'config', opts: ParseConfigOptions = {}): GatewayConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => `YAML syntax (line ${e.linePos?.[0]?.line ?? '?'}): ${e.message.split('\n')[0]}`),
    );
  }
  return parseConfig(doc.toJS(), source, opts);
}

/** The config file used when none is given: `./aigw.yaml` if present. */
export function defaultConfigPath(cwd: string): string | undefined {
  for (const name of ['aigw.yaml', 'aigw.yml']) {
    const p = resolve(cwd, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function loadConfigFile(path: string, opts: ParseConfigOptions = {}): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  return parseConfigYaml(text, path, opts);
}
