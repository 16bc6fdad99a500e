import { ConfigError } from './config-error.ts';
import { parseConfigYaml, type ParseConfigOptions } from './load-config.ts';

/** TEST SUPPORT: the problems a YAML config is refused with (empty when it loads). */
export function problemsOf(yaml: string, opts: ParseConfigOptions = {}): string[] {
  try {
    parseConfigYaml(yaml, 'config', opts);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
