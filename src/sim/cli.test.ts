import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatFleetTable, loadFleet, runSimCommand, SIM_LABEL } from './cli.ts';
import { DATA_FLEET, DEFAULT_FLEET } from './fleet.ts';

describe('aigw sim command', () => {
  it('starts the simulator and prints its URL, the SIMULATED label and the fleet table', async () => {
    const lines: string[] = [];
    const sim = await runSimCommand({ timeScale: 0, print: (l) => lines.push(l) });
    try {
      expect(lines[0]).toBe('SIMULATED upstream — not real models');
      expect(lines[0]).toBe(SIM_LABEL);
      expect(lines.join('\n')).toContain(sim.url);
      for (const m of DEFAULT_FLEET.models) expect(lines.some((l) => l.startsWith(m.id))).toBe(true);
      const res = await fetch(`${sim.url}/v1/models`);
      expect(res.headers.get('x-sim')).toBe('simulated');
    } finally {
      await sim.close();
    }
  });

  it('formats one aligned row per model with prices per 1M tokens', () => {
    const table = formatFleetTable(DEFAULT_FLEET);
    expect(table).toHaveLength(2 + DEFAULT_FLEET.models.length);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table.find((l) => l.startsWith('sim-large'))).toMatch(/premium\s+5\.000\s+15\.000\s+600\s+50\s+0\.5%\s+0\.900$/);
  });

  it('loads fleets by name or from a YAML file, and explains an invalid file', async () => {
    expect(await loadFleet('default')).toBe(DEFAULT_FLEET);
    expect(await loadFleet('data')).toBe(DATA_FLEET);
    const dir = mkdtempSync(join(tmpdir(), 'sim-fleet-'));
    const good = join(dir, 'fleet.yaml');
    writeFileSync(good, stringify({ name: 'mine', models: [DEFAULT_FLEET.models[0]] }));
    expect((await loadFleet(good)).models[0]!.id).toBe('sim-nano');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, stringify({ name: 'bad', models: [{ id: 'x' }] }));
    await expect(loadFleet(bad)).rejects.toThrow(/bad\.yaml: not a simulated fleet: models\.0\./);
  });
});
