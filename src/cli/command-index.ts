import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Which module registers which top-level commands, loaded only when one of its commands runs: a
 * command's dependencies (the gateway, the store drivers, the MCP SDK, the router model) are not
 * paid for by `aigw --help` or by another command. `summaries` are the top-level help lines
 * (`command-index.test.ts` checks they match what the modules register).
 */
export interface CommandModule {
  summaries: Record<string, string>;
  load(): Promise<Register>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  {
    summaries: {
      serve: 'start the gateway (default port 4000; the store defaults to ./data/)',
      sim: 'serve the SIMULATED upstream fleet (OpenAI and Anthropic wire formats) for demos and tests',
    },
    load: async () => (await import('./serve-commands.ts')).registerServeCommands,
  },
  {
    summaries: { keys: 'manage gateway API keys (stored as SHA-256 hashes only)' },
    load: async () => (await import('./keys-commands.ts')).registerKeysCommands,
  },
  {
    summaries: { route: 'show the routing decision for a prompt (no model is called)' },
    load: async () => (await import('./route-commands.ts')).registerRouteCommands,
  },
  {
    summaries: {
      router: 'the learned quality predictor and its learning loop',
      eval: 'evaluate the router and the optimizer',
    },
    load: async () => (await import('./router-commands.ts')).registerRouterCommands,
  },
  {
    summaries: {
      demo: 'start the gateway (with the simulated fleet when no provider is configured), send varied traffic through it with the openai SDK, and summarize it',
    },
    load: async () => (await import('./demo/demo-command.ts')).registerDemoCommand,
  },
  {
    summaries: { rules: 'stored routing-rule recommendations: list them, apply one to the config' },
    load: async () => (await import('./rules-commands.ts')).registerRulesCommands,
  },
  {
    summaries: { report: 'write the LLM Routing Optimization Report over the configured store' },
    load: async () => (await import('./report-commands.ts')).registerReportCommands,
  },
  {
    summaries: { mcp: 'run an MCP server over stdio: intelligence-router or cost-tracker (reads the store of the config)' },
    load: async () => (await import('./mcp-commands.ts')).registerMcpCommands,
  },
  {
    summaries: {
      optimize: 'run one inference-time technique (or a&b, a|b) and print every upstream call with tokens and cost',
      eval: 'evaluate the router and the optimizer',
    },
    load: async () => (await import('./optimize-commands.ts')).registerOptimizeCommands,
  },
  {
    summaries: { alerts: 'alert rules, their state and their history (docs/alerts.md)' },
    load: async () => (await import('./alerts-commands.ts')).registerAlertsCommands,
  },
  {
    summaries: { models: 'the model catalog: effective prices, limits, capabilities and priors, with their sources' },
    load: async () => (await import('./models-commands.ts')).registerModelsCommands,
  },
];

/** The first argument that is not an option (or an option's value): the command being run, if any. */
export function commandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '--config') {
      i++;
      continue;
    }
    if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
