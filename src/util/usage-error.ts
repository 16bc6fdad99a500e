/**
 * A mistake in how a command was called: the CLI prints it as one line with exit code 2, no stack
 * trace. It lives below the CLI so that commands implemented in lower layers (e.g. `eval routing` in
 * src/router/eval) can throw it without importing the CLI.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
