import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, commandName } from './command-index.ts';
import { buildProgram } from './main.ts';

describe('the command index', () => {
  it('names each module under the commands it registers, with their own descriptions', async () => {
    for (const m of COMMAND_MODULES) {
      const program = await buildProgram([m]);
      const registered = Object.fromEntries(program.commands.map((c) => [c.name(), c.description()]));
      expect(Object.keys(registered).sort()).toEqual(Object.keys(m.summaries).sort());
      // `eval` gathers subcommands from several modules; the first one to register it describes it.
      for (const [name, summary] of Object.entries(m.summaries)) if (name !== 'eval') expect(summary).toBe(registered[name]);
    }
  });

  it('lists every command of the full program', async () => {
    const all = (await buildProgram()).commands.map((c) => c.name());
    const indexed = new Set(COMMAND_MODULES.flatMap((m) => Object.keys(m.summaries)));
    expect(new Set(all)).toEqual(indexed);
  });

  it('finds the command past the global options', () => {
    expect(commandName(['--config', 'x.yaml', 'route', 'hi'])).toBe('route');
    expect(commandName(['-c', 'x.yaml', '--help'])).toBeUndefined();
    expect(commandName(['serve', '--port', '1'])).toBe('serve');
  });
});
