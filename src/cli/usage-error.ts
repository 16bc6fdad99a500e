import { ConfigError } from '../config/config-error.ts';
import { UsageError } from '../util/usage-error.ts';

export { UsageError };

/**
 * Errors of the optimizer that are the caller's mistake, matched by name: importing their classes
 * here would load the optimizer for every command (main.ts loads only the command being run).
 */
const MISTAKE_ERROR_NAMES = new Set(['UnknownTechniqueError', 'TechniqueOptionError']);

/** Exit code of every CLI mistake (bad flag, bad config, unknown technique or model, busy port). */
export const USAGE_EXIT_CODE = 2;

/** The one line to print when `err` is the caller's mistake rather than a bug; undefined otherwise. */
export function usageMessage(err: unknown): string | undefined {
  if (err instanceof UsageError || err instanceof ConfigError || (err instanceof Error && MISTAKE_ERROR_NAMES.has(err.name))) {
    return err.message;
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const { address, port } = err as { address?: string; port?: number };
    const where = port !== undefined ? `${address ?? ''}:${port}` : 'the requested address';
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs more privileges' : 'is not available on this machine';
    return `cannot listen on ${where}: it ${why} (choose another with --port / --host)`;
  }
  return undefined;
}
