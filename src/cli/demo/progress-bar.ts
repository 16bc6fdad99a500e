import cliProgress from 'cli-progress';
import type { DemoRequestResult } from './send-demo-request.ts';

export interface DemoProgress {
  tick(result: DemoRequestResult): void;
  stop(): void;
}

/** A progress bar on stderr (stdout stays clean for the summary); a no-op when disabled. */
export function startDemoProgress(total: number, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): DemoProgress {
  if (!enabled) return { tick: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: 'demo |{bar}| {value}/{total} requests · ok {ok} · failed {failed} · {eta_formatted} left',
      hideCursor: true,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  let ok = 0;
  let failed = 0;
  bar.start(total, 0, { ok, failed });
  return {
    tick(result) {
      if (result.status === 200) ok++;
      else failed++;
      bar.increment(1, { ok, failed });
    },
    stop: () => bar.stop(),
  };
}
