// Its own module so the CLI can recognise a config mistake without loading yaml and the zod schemas.
/** A configuration that does not validate: each problem names its path. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}
