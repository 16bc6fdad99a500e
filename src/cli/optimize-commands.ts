import { writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Pricing } from '../config/schema.ts';
import { httpComplete, type HttpCompletionResult } from '../optimizer/http-complete.ts';
import { parseTechniqueSpec, runTechniqueSpec, techniqueBounds } from '../optimizer/run-technique.ts';
import type { Complete, OptimizedAnswer } from '../optimizer/types.ts';
import type { ChatRequest } from '../providers/chat-schema.ts';
import { DEFAULT_FLEET } from '../sim/default-fleets.ts';
import type { SimFleet } from '../sim/fleet-schema.ts';
import { startSim, type SimServer } from '../sim/server.ts';
import { emptyGoldRows, readEvalRows, runEval, type EvalCell } from './eval-optimize.ts';
import { printTable } from './print-table.ts';
import { UsageError } from './usage-error.ts';

/**
 * `aigw optimize "prompt" --approach moa --model M` runs one technique and prints every upstream call;
 * `aigw eval optimize --data FILE.jsonl --approaches a,b --model M` measures techniques over a dataset.
 * Without --base-url both run against the SIMULATED fleet (src/sim), started in-process with no
 * injected errors and no delays; its models' prices price the calls.
 */

export interface EndpointFlags {
  baseUrl?: string;
  apiKey?: string;
  /** commander's --no-n: the endpoint lacks `n`. */
  n: boolean;
  inputPrice?: number;
  outputPrice?: number;
  seed: number;
}

/** Where calls go: a real endpoint, or the simulator this process started (closed by `close`). */
export interface Endpoint {
  simulated: boolean;
  baseUrl: string;
  completeFor(model: string, request: ChatRequest): Complete & { costUnknown: () => boolean };
  close(): Promise<void>;
}

/** The simulated fleet without injected failures: these commands measure techniques, not retries. */
export function evalFleet(fleet: SimFleet = DEFAULT_FLEET): SimFleet {
  return { ...fleet, models: fleet.models.map((m) => ({ ...m, error_rate: 0 })) };
}

export async function openEndpoint(flags: EndpointFlags): Promise<Endpoint> {
  let sim: SimServer | undefined;
  const fleet = evalFleet();
  if (!flags.baseUrl) sim = await startSim({ fleet, timeScale: 0, seed: flags.seed });
  const baseUrl = flags.baseUrl ?? `${sim!.url}/v1`;
  const flagPricing: Pricing | undefined =
    flags.inputPrice !== undefined && flags.outputPrice !== undefined ? { input: flags.inputPrice, output: flags.outputPrice } : undefined;
  return {
    simulated: sim !== undefined,
    baseUrl,
    completeFor(model, request) {
      const simModel = sim ? fleet.models.find((m) => m.id === model) : undefined;
      if (sim && !simModel)
        throw new UsageError(`--model '${model}' is not a simulated model; choose one of ${fleet.models.map((m) => m.id).join(', ')} or pass --base-url`);
      const inner = httpComplete({
        baseUrl,
        apiKey: flags.apiKey ?? process.env.OPENAI_API_KEY,
        request,
        supportsN: simModel ? simModel.supports_n !== false : flags.n,
        pricing: flagPricing ?? simModel?.pricing,
      });
      let unknown = false;
      const complete = async (call: Parameters<Complete>[0]) => {
        const r = (await inner(call)) as HttpCompletionResult;
        if (r.costSource === 'unknown') unknown = true;
        return r;
      };
      return Object.assign(complete, { costUnknown: () => unknown });
    },
    close: async () => {
      await sim?.close();
    },
  };
}

/** `--option k=5` (repeatable) → { k: 5 }. */
export function parseOptionFlag(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const m = /^\s*([A-Za-z_][\w]*)\s*=\s*(-?\d+(?:\.\d+)?)\s*$/.exec(value);
  if (!m) throw new UsageError(`--option wants name=number (e.g. k=5); got '${value}'`);
  return { ...previous, [m[1]!]: Number(m[2]) };
}

const usd = (v: number) => `$${v.toFixed(6)}`;

export function printOptimized(out: OptimizedAnswer, costUnknown: boolean, write: (line: string) => void = console.log): void {
  const rows = out.calls.map((c, i) => [
    String(i + 1),
    c.label,
    c.model,
    String(c.upstreamRequests),
    String(c.usage.inputTokens),
    String(c.usage.cachedInputTokens),
    String(c.usage.outputTokens),
    String(c.usage.reasoningTokens),
    usd(c.costUsd),
  ]);
  const requests = out.calls.reduce((s, c) => s + c.upstreamRequests, 0);
  rows.push([
    '',
    'total',
    '',
    String(requests),
    String(out.usage.inputTokens),
    String(out.usage.cachedInputTokens),
    String(out.usage.outputTokens),
    String(out.usage.reasoningTokens),
    usd(out.costUsd),
  ]);
  printTable(['#', 'call', 'model', 'requests', 'in', 'cached', 'out', 'reasoning', 'cost'], rows, write);
  write(`bounds: at most ${out.bounds.maxUpstreamRequests} upstream requests, ${out.bounds.maxCompletionTokens} completion tokens`);
  if (costUnknown) write('cost: unknown for some calls (no --input-price/--output-price and the endpoint is not aigw); counted as $0');
  write('');
  write(out.answer);
}

export function printEvalTable(cells: readonly EvalCell[], write: (line: string) => void = console.log): void {
  printTable(
    ['model', 'approach', 'accuracy', 'correct', 'failed', 'requests', 'prompt tok', 'completion tok', 'cost', 'cost / correct'],
    cells.map((c) => [
      c.model,
      c.approach,
      `${(c.accuracy * 100).toFixed(1)}%`,
      `${c.correct}/${c.rows}`,
      String(c.failed),
      String(c.upstreamRequests),
      String(c.usage.inputTokens),
      String(c.usage.outputTokens),
      `${usd(c.costUsd)}${c.costUnknown ? ' (incomplete)' : ''}`,
      c.correct ? usd(c.costUsd / c.correct) : '-',
    ]),
    write,
  );
}

function endpointOptions(cmd: Command): Command {
  return cmd
    .option('--base-url <url>', 'OpenAI-compatible endpoint incl. /v1 (default: the simulated fleet, in-process)')
    .option('--api-key <key>', 'API key for --base-url (default: $OPENAI_API_KEY)')
    .option('--no-n', 'the endpoint lacks n: ask for several choices with parallel requests')
    .option('--input-price <usd>', 'USD per 1M input tokens, to price calls when the endpoint does not', Number.parseFloat)
    .option('--output-price <usd>', 'USD per 1M output tokens', Number.parseFloat)
    .option('--seed <n>', 'seed of the simulated fleet', (v) => Number.parseInt(v, 10), 0)
    .option('--option <name=value>', 'technique option, repeatable (k=5, n=3, rounds=2 …)', parseOptionFlag, {})
    .option('--max-tokens <n>', 'max_tokens of every call', (v) => Number.parseInt(v, 10));
}

interface CommonFlags extends EndpointFlags {
  option: Record<string, number>;
  maxTokens?: number;
}

export function registerOptimizeCommands(program: Command): void {
  endpointOptions(
    program
      .command('optimize')
      .description('run one inference-time technique (or a&b, a|b) and print every upstream call with tokens and cost')
      .argument('<prompt>', 'the user message')
      .requiredOption('--approach <spec>', 'technique: none, re2, self_consistency, moa, … or a combination a&b, a|b')
      .requiredOption('--model <id>', 'model to call')
      .option('--system <text>', 'system message'),
  ).action(async (prompt: string, flags: CommonFlags & { approach: string; model: string; system?: string }) => {
    const messages: ChatRequest['messages'] = flags.system ? [{ role: 'system', content: flags.system }] : [];
    messages.push({ role: 'user', content: prompt });
    const request: ChatRequest = { model: flags.model, messages, ...(flags.maxTokens ? { max_tokens: flags.maxTokens } : {}) };
    // Mistakes in the technique or its options are reported before anything starts.
    techniqueBounds(parseTechniqueSpec(flags.approach), request, flags.option);
    const endpoint = await openEndpoint(flags);
    try {
      const complete = endpoint.completeFor(flags.model, request);
      if (endpoint.simulated) console.error(`SIMULATED fleet at ${endpoint.baseUrl} (pass --base-url for a real endpoint)`);
      const out = await runTechniqueSpec(flags.approach, { request, complete, options: flags.option });
      printOptimized(out, complete.costUnknown());
    } finally {
      await endpoint.close();
    }
  });

  const evalCommand = program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('evaluate the router and the optimizer');
  endpointOptions(
    evalCommand
      .command('optimize')
      .description('accuracy, tokens and cost per technique over a JSONL dataset ({id, prompt, answer[, system]}), graded by normalized exact match')
      .requiredOption('--data <file>', 'JSONL dataset')
      .requiredOption('--approaches <list>', 'comma-separated technique specs, e.g. none,re2,self_consistency')
      .requiredOption('--model <ids>', 'model id, or comma-separated ids to compare')
      .option('--limit <n>', 'first N rows only', (v) => Number.parseInt(v, 10))
      .option('--concurrency <n>', 'rows in flight at once', (v) => Number.parseInt(v, 10), 8)
      .option('--out <file>', 'write the results as JSON'),
  ).action(async (flags: CommonFlags & { data: string; approaches: string; model: string; limit?: number; concurrency: number; out?: string }) => {
    const rows = readEvalRows(flags.data, flags.limit);
    const empty = emptyGoldRows(rows);
    if (empty.length) throw new Error(`rows without a gradable gold answer: ${empty.slice(0, 5).join(', ')}`);
    const models = flags.model
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    const approaches = flags.approaches
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const endpoint = await openEndpoint(flags);
    const bar = new cliProgress.SingleBar(
      { format: 'eval |{bar}| {value}/{total} rows · {eta_formatted} left', stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    try {
      if (endpoint.simulated) console.error(`SIMULATED fleet at ${endpoint.baseUrl} (seed ${flags.seed}; pass --base-url for a real endpoint)`);
      bar.start(rows.length * models.length * approaches.length, 0);
      const cells = await runEval({
        rows,
        models,
        approaches,
        options: flags.option,
        maxTokens: flags.maxTokens,
        concurrency: flags.concurrency,
        completeFor: (model, request) => endpoint.completeFor(model, request),
        onRow: () => bar.increment(),
      });
      bar.stop();
      printEvalTable(cells);
      if (flags.out) {
        const report = {
          simulated: endpoint.simulated,
          endpoint: endpoint.simulated ? 'simulated fleet (in-process)' : endpoint.baseUrl,
          data: flags.data,
          rows: rows.length,
          seed: endpoint.simulated ? flags.seed : undefined,
          options: flags.option,
          maxTokens: flags.maxTokens,
          results: cells,
        };
        writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
        console.error(`wrote ${flags.out}`);
      }
    } finally {
      bar.stop();
      await endpoint.close();
    }
  });
}
