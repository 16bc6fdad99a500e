import { startSim } from './server.ts';
import { DEFAULT_FLEET, SimFleet } from './fleet.ts';
const fleet = SimFleet.parse({ ...DEFAULT_FLEET, models: DEFAULT_FLEET.models.map((m) => ({ ...m, error_rate: 0 })) });
const sim = await startSim({ fleet, timeScale: 0, port: 47123 });
console.log(sim.url);
setTimeout(() => void sim.close(), 30_000);
