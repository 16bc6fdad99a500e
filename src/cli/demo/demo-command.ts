import { InvalidArgumentError, type Command } from 'commander';
import { DemoSetupError } from './gateway-catalog.ts';
import { DEMO_DEFAULTS, DEMO_STORE_DIR, runDemo } from './run-demo.ts';
import { formatDemoSummary } from './summary.ts';
import { demoReportMarkdown } from './demo-report.ts';
import { generateDemoPrompts } from './prompts.ts';

interface DemoCommandOptions {
  requests: number;
  concurrency: number;
  timeScale: number;
  seed: number;
  url?: string;
  apiKey?: string;
  allowRealProviders?: boolean;
  progress: boolean;
  storeDir?: string;
}

function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer; got "${value}"`);
    return n;
  };
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--time-scale must be a non-negative number; got "${value}"`);
  return n;
}

/** How to reach the demo's store afterwards: the commands read ./data unless AIGW_STORE_DIR says otherwise. */
export function demoStoreHint(storeDir: string): string {
  return (
    `The demo's requests are in ${storeDir} (apart from the store a real gateway here uses). To work with them: ` +
    `\`AIGW_STORE_DIR=${storeDir} aigw report --goal cost\`, \`AIGW_STORE_DIR=${storeDir} aigw rules apply ID\`.`
  );
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'start the gateway (with the simulated fleet when no provider is configured), send varied traffic through it with the openai SDK, and summarize it',
    )
    .option('-n, --requests <n>', 'requests to send', positiveInt('--requests'), DEMO_DEFAULTS.requests)
    .option('--concurrency <n>', 'requests in flight at once', positiveInt('--concurrency'), DEMO_DEFAULTS.concurrency)
    .option('--time-scale <x>', 'multiply every delay of the simulated fleet (0: none)', nonNegativeNumber, DEMO_DEFAULTS.timeScale)
    .option('--seed <n>', 'seed of the prompt mix', positiveInt('--seed'), DEMO_DEFAULTS.seed)
    .option('--url <url>', 'send to this running gateway instead of starting one')
    .option('--api-key <key>', 'API key for the gateway (default: $AIGW_API_KEY)')
    .option('--allow-real-providers', 'send the traffic even when the gateway serves real, paid models')
    .option('--no-progress', 'no progress bar')
    .option(
      '--store-dir <dir>',
      `store directory of the gateway the demo starts (default: $AIGW_STORE_DIR, else ${DEMO_STORE_DIR}: apart from a real gateway's ./data)`,
    )
    .action(async (opts: DemoCommandOptions) => {
      const config = program.opts<{ config?: string }>().config;
      const interrupt = new AbortController();
      const onSigint = () => {
        console.error('\nInterrupted: stopping the traffic, then shutting down cleanly (Ctrl-C again to quit at once).');
        interrupt.abort();
      };
      process.once('SIGINT', onSigint);
      try {
        const run = await runDemo({
          cwd: process.cwd(),
          configPath: config,
          url: opts.url,
          apiKey: opts.apiKey,
          requests: opts.requests,
          concurrency: opts.concurrency,
          timeScale: opts.timeScale,
          seed: opts.seed,
          allowRealProviders: opts.allowRealProviders,
          progress: opts.progress && process.stderr.isTTY === true,
          signal: interrupt.signal,
          storeDir: opts.storeDir,
        });
        if (run.interrupted) console.log(`\nInterrupted after ${run.results.length} of ${run.planned} requests.`);
        console.log(
          `\n${formatDemoSummary(run.summary, {
            gatewayUrl: run.gatewayUrl,
            startedGateway: run.startedGateway,
            storeDescription: run.storeDescription,
            concurrency: opts.concurrency,
          })}`,
        );
        if (run.startedGateway) {
          // Only a gateway the demo started writes to the store this process can read.
          const report = await demoReportMarkdown(process.cwd(), config, run.results, generateDemoPrompts(opts.requests, opts.seed), run.storeDir);
          console.log(`\nRecorded ${report.feedback} simulated outcomes as feedback (source sim-outcome).\n\n${report.markdown}`);
          console.log(`\n${demoStoreHint(run.storeDir)}`);
        }
      } catch (err) {
        if (!(err instanceof DemoSetupError)) throw err;
        console.error(err.message);
        process.exitCode = 2;
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
