import { Command } from 'commander';
import { ConfigError } from '../config/load-config.ts';
import { registerServeCommands } from './serve-commands.ts';
import { registerKeysCommands } from './keys-commands.ts';
import { registerRouterCommands } from './router-commands.ts';
import { registerDemoCommand } from './demo/demo-command.ts';
import { registerRulesCommands } from './rules-commands.ts';
import { registerReportCommands } from './report-commands.ts';
import { registerMcpCommands } from './mcp-commands.ts';
import { registerOptimizeCommands } from './optimize-commands.ts';
import { registerModelsCommands } from './models-commands.ts';

export function buildProgram(): Command {
  const program = new Command('aigw')
    .description('aigw — OpenAI-compatible LLM gateway that routes each request to the cheapest model that will answer it well')
    .version('0.1.0')
    .option('-c, --config <file>', 'config file (default: ./aigw.yaml if present)')
    .showHelpAfterError();
  registerServeCommands(program);
  registerKeysCommands(program);
  registerRouterCommands(program);
  registerDemoCommand(program);
  registerRulesCommands(program);
  registerReportCommands(program);
  registerMcpCommands(program);
  registerOptimizeCommands(program);
  registerModelsCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
