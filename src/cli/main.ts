import { Command, CommanderError } from 'commander';
import { USAGE_EXIT_CODE, usageMessage } from './usage-error.ts';
import { COMMAND_MODULES, commandName, type CommandModule } from './command-index.ts';

function baseProgram(): Command {
  return (
    new Command('aigw')
      .description('aigw — OpenAI-compatible LLM gateway that routes each request to the cheapest model that will answer it well')
      .version('0.1.0')
      .option('-c, --config <file>', 'config file (default: ./aigw.yaml if present)')
      // Commander prints its one-line error itself; main() turns its exit into USAGE_EXIT_CODE.
      .exitOverride()
  );
}

/** The program with the given command modules registered (default: all of them). */
export async function buildProgram(modules: readonly CommandModule[] = COMMAND_MODULES): Promise<Command> {
  const program = baseProgram();
  for (const register of await Promise.all(modules.map((m) => m.load()))) register(program);
  return program;
}

/** Top-level help without loading any command: one line per command from the index. */
function helpOnlyProgram(): Command {
  const program = baseProgram();
  const seen = new Set<string>();
  for (const m of COMMAND_MODULES) {
    for (const [name, summary] of Object.entries(m.summaries)) {
      if (seen.has(name)) continue;
      seen.add(name);
      program.command(name).description(summary);
    }
  }
  return program;
}

/** Loads only the module(s) of the command being run; `aigw`, `aigw --help` and typos load none. */
async function programFor(args: readonly string[]): Promise<Command> {
  let name = commandName(args);
  if (name === 'help') name = commandName(args.slice(args.indexOf('help') + 1));
  const modules = name ? COMMAND_MODULES.filter((m) => name in m.summaries) : [];
  return modules.length > 0 ? buildProgram(modules) : helpOnlyProgram();
}

export async function main(argv: string[]): Promise<void> {
  try {
    await (await programFor(argv.slice(2))).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT_CODE);
    }
    const message = usageMessage(err);
    if (message !== undefined) {
      console.error(`aigw: ${message}`);
      process.exit(USAGE_EXIT_CODE);
    }
    throw err;
  }
}
