// One scheduled retrain in its own process (spawned by spawnRetrain): the training's CPU never runs on the
// gateway's event loop. Reads the job from the IPC channel, reports the result, exits.
import type { GatewayConfig } from '../../config/schema.ts';
import { openStore } from '../../store/open-store.ts';
import { LearningStore } from '../../store/learning-store.ts';
import { retrainFromStore } from './retrain.ts';
import type { RetrainJob } from './retrain-process.ts';

process.once('message', (job: RetrainJob) => {
  void run(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (err: unknown) => process.send?.({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.exit(1)),
  );
});

async function run(job: RetrainJob) {
  const store = await openStore(job.store);
  try {
    return await retrainFromStore(new LearningStore(store.db), job.config as GatewayConfig, job.options);
  } finally {
    await store.close();
  }
}
