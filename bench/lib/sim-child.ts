/**
 * The simulated upstream in its own process, so the benchmark's load generator and the gateway do
 * not share its event loop. Started with `fork` (IPC): it sends `{ url }` once listening and closes
 * on SIGTERM or when the parent goes away.
 */
import { DEFAULT_FLEET, withoutErrors } from '../../src/sim/fleet.ts';
import { startSim } from '../../src/sim/server.ts';

export interface SimChildReady {
  url: string;
}

const timeScale = Number(process.env.BENCH_SIM_TIME_SCALE ?? '0');
const sim = await startSim({ fleet: withoutErrors(DEFAULT_FLEET), port: 0, timeScale });
const ready: SimChildReady = { url: sim.url };
process.send?.(ready);

const stop = () => {
  void sim.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('disconnect', stop);
