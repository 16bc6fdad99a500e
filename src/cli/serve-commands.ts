import type { Command } from 'commander';
import { startGateway } from '../gateway/serve.ts';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('start the gateway (default port 4000; the store defaults to ./data/)')
    .option('-p, --port <port>', 'port to listen on', (v) => Number.parseInt(v, 10))
    .option('--host <host>', 'address to bind (default: 127.0.0.1 until API keys exist)')
    .action(async (opts: { port?: number; host?: string }) => {
      const config = program.opts<{ config?: string }>().config;
      await startGateway({ cwd: process.cwd(), configPath: config, port: opts.port, host: opts.host, handleSignals: true });
    });

  program
    .command('sim')
    .description('serve the SIMULATED upstream fleet (OpenAI and Anthropic wire formats) for demos and tests')
    .option('-p, --port <port>', 'port to listen on', (v) => Number.parseInt(v, 10), 4100)
    .option('--outcomes <files...>', 'outcomes JSONL files: recorded prompts are answered with the recorded responses')
    .option('--fleet <name|file>', '`default`, `data` (the 11 models of the shared outcome data) or a fleet YAML/JSON file', 'default')
    .option('--time-scale <x>', 'multiply every simulated delay', Number.parseFloat, 1)
    .option('--seed <n>', 'seed of the simulated outcomes', (v) => Number.parseInt(v, 10))
    .action(async (opts: { port: number; outcomes?: string[]; timeScale: number; fleet: string; seed?: number }) => {
      // The simulated fleet's modules load only for `aigw sim` (and a gateway without providers).
      const { runSimCommand } = await import('../sim/cli.ts');
      await runSimCommand({ port: opts.port, outcomesFiles: opts.outcomes, timeScale: opts.timeScale, fleet: opts.fleet, seed: opts.seed });
    });
}
