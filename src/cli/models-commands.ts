import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ModelConfig } from '../config/schema.ts';
import { updatedDatasetsDir } from '../config/known-models/datasets.ts';
import { updateKnownModelDatasets, type DatasetUpdate } from '../config/known-models/update-datasets.ts';
import { needsSimulatedFleet, readConfig, withSimulatedFleet } from '../gateway/resolve-config.ts';
import { printTable } from './print-table.ts';

const CONFIG = 'config';

function source(model: ModelConfig, field: string): string {
  const written = model.sources?.[field];
  if (written) return written;
  if (field === 'quality' && Object.keys(model.quality).length === 0) return '- (trained or task-level abilities)';
  return CONFIG;
}

function priceCell(model: ModelConfig): string {
  if (source(model, 'pricing') === 'unknown') return 'unknown';
  const p = model.pricing;
  const cached = p.cached_input !== undefined ? ` (cached ${p.cached_input})` : '';
  return `${p.input}${cached} / ${p.output}`;
}

/** One row per model: its effective values, then where each came from. */
export function modelRows(models: readonly ModelConfig[]): { values: string[][]; sources: string[][] } {
  const values = models.map((m) => [
    m.id,
    m.provider,
    priceCell(m),
    String(m.context_window),
    String(m.max_output_tokens),
    m.capabilities.join(',') || '-',
    Object.keys(m.quality).length > 0
      ? Object.entries(m.quality)
          .map(([t, q]) => `${t} ${q}`)
          .join(', ')
      : '-',
  ]);
  const sources = models.map((m) => [m.id, ...['pricing', 'context_window', 'max_output_tokens', 'capabilities', 'quality'].map((f) => source(m, f))]);
  return { values, sources };
}

function printUpdate(results: DatasetUpdate[], dir: string): void {
  for (const r of results) {
    if (r.outcome === 'updated') console.log(`${r.name}: ${r.current} → ${r.latest} (installed in ${dir}; used from the next start or SIGHUP reload)`);
    else if (r.outcome === 'current') console.log(`${r.name}: ${r.current} is the newest version`);
    else console.log(`${r.name}: registry not reachable (${r.detail ?? 'no answer'}); keeping ${r.current}`);
  }
}

export function registerModelsCommands(program: Command): void {
  const configPath = () => program.opts<{ config?: string }>().config;
  const models = program.command('models').description('the model catalog: effective prices, limits, capabilities and priors, with their sources');

  models
    .command('list')
    .description("each model's effective values and where each came from (config, dataset and version, or unknown)")
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
      const { config } = readConfig(process.cwd(), configPath());
      const effective = needsSimulatedFleet(config, process.env) ? withSimulatedFleet(config, 'http://127.0.0.1:4100', process.env) : config;
      if (opts.json) {
        console.log(
          JSON.stringify(
            effective.models.map((m) => ({ ...m, sources: m.sources ?? {} })),
            null,
            2,
          ),
        );
        return;
      }
      const { values, sources } = modelRows(effective.models);
      printTable(['model', 'provider', 'USD/1M in / out', 'context', 'max out', 'capabilities', 'quality priors'], values);
      console.log('');
      printTable(['model', 'pricing', 'context', 'max out', 'capabilities', 'quality'], sources);
    });

  models
    .command('update')
    .description('install newer versions of the price and model datasets from the npm registry, when there are any')
    .action(async () => {
      const { config } = readConfig(process.cwd(), configPath());
      const dir = updatedDatasetsDir(resolve(process.cwd(), config.store.dir));
      printUpdate(await updateKnownModelDatasets(dir), dir);
    });
}
