import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { DATA_FLEET, DEFAULT_FLEET } from './default-fleets.ts';
import { accuracyFor, SimFleet } from './fleet-schema.ts';
import { startSim, type SimServer } from './server.ts';

export const SIM_LABEL = 'SIMULATED upstream — not real models';

export interface SimCommandOptions {
  /** `default`, `data`, a path to a fleet YAML/JSON file, or a fleet object. */
  fleet?: string | SimFleet;
  port?: number;
  host?: string;
  outcomesFiles?: string[];
  seed?: number;
  timeScale?: number;
  /** Where lines go; default console.log. */
  print?: (line: string) => void;
}

/** Resolves a fleet by name (`default`, `data`) or loads and validates a YAML/JSON fleet file. */
export async function loadFleet(nameOrPath: string): Promise<SimFleet> {
  if (nameOrPath === 'default') return DEFAULT_FLEET;
  if (nameOrPath === 'data') return DATA_FLEET;
  const text = await readFile(nameOrPath, 'utf8');
  const parsed = SimFleet.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new Error(`${nameOrPath}: not a simulated fleet: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

/** The fleet as a fixed-width table: prices per 1M tokens, speed, error rate, default accuracy. */
export function formatFleetTable(fleet: SimFleet): string[] {
  const header = ['model', 'tier', '$/1M in', '$/1M out', 'ttft ms', 'tok/s', 'errors', 'accuracy'];
  const rows = fleet.models.map((m) => [
    m.id,
    m.tier,
    m.pricing.input.toFixed(3),
    m.pricing.output.toFixed(3),
    String(m.ttft_ms),
    String(m.output_tokens_per_s),
    `${(m.error_rate * 100).toFixed(1)}%`,
    accuracyFor(m, 'default').toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => pad(r, widths))];
}

/** Starts the simulator and prints its URL, label and fleet; the caller closes the returned server. */
export async function runSimCommand(opts: SimCommandOptions = {}): Promise<SimServer> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const fleet = typeof opts.fleet === 'object' ? opts.fleet : await loadFleet(opts.fleet ?? 'default');
  const sim = await startSim({
    fleet,
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    outcomesFiles: opts.outcomesFiles ?? [],
    seed: opts.seed ?? 0,
    timeScale: opts.timeScale ?? 1,
  });
  print(SIM_LABEL);
  print(`listening on ${sim.url}  (OpenAI: ${sim.url}/v1/chat/completions, Anthropic: ${sim.url}/v1/messages)`);
  print(`fleet "${fleet.name}"${fleet.description ? `: ${fleet.description}` : ''}`);
  print(`seed ${opts.seed ?? 0}, time scale ${opts.timeScale ?? 1}, outcomes files: ${(opts.outcomesFiles ?? []).join(', ') || 'none'}`);
  for (const line of formatFleetTable(fleet)) print(line);
  return sim;
}
