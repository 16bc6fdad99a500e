import { ConfigError, parseConfigYaml } from './load-config.ts';

/** TEST SUPPORT: the problems a YAML config is refused with (empty when it loads). */
export function problemsOf(yaml: string): string[] {
  try {
    parseConfigYaml(yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}
