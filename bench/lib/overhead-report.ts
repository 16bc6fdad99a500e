import type { Comparison, OverheadResults, RunResult } from './overhead-results.ts';

const TARGET_LABEL: Record<RunResult['target'], string> = {
  direct: 'direct (sim)',
  'gateway-named': 'gateway, named model',
  'gateway-auto': 'gateway, model auto',
};

function ms(v: number | undefined, digits = 3): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

function signedMs(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
}

function mode(stream: boolean): string {
  return stream ? 'stream' : 'json';
}

function table(header: string[], rows: string[][]): string[] {
  const align = header.map((_, i) => (i < 3 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function findRun(results: OverheadResults, c: Pick<Comparison, 'stream' | 'connections'>, target: RunResult['target']): RunResult | undefined {
  return results.runs.find((r) => r.target === target && r.stream === c.stream && r.connections === c.connections);
}

/** Added latency per gateway variant against the direct run at the same mode and concurrency. */
export function addedLatencyTable(results: OverheadResults): string[] {
  const rows = results.comparisons.map((c) => {
    const direct = findRun(results, c, 'direct');
    const gw = findRun(results, c, c.target);
    return [
      TARGET_LABEL[c.target],
      mode(c.stream),
      String(c.connections),
      ms(direct?.latency.p50Ms),
      ms(gw?.latency.p50Ms),
      `**${signedMs(c.addedP50Ms)}**`,
      ms(direct?.latency.p99Ms),
      ms(gw?.latency.p99Ms),
      `**${signedMs(c.addedP99Ms)}**`,
      c.meetsTarget ? 'yes' : 'no',
    ];
  });
  return table(
    ['variant', 'mode', 'conns', 'p50 direct ms', 'p50 gateway ms', 'added p50 ms', 'p99 direct ms', 'p99 gateway ms', 'added p99 ms', 'meets target'],
    rows,
  );
}

/** Throughput, CPU per request and the gateway's self-reported overhead, every run. */
export function throughputTable(results: OverheadResults): string[] {
  const rows = results.runs.map((r) => {
    const direct = findRun(results, r, 'direct');
    const ratio = r.target === 'direct' || !direct ? '1.00' : (r.requestsPerS / direct.requestsPerS).toFixed(2);
    const failed = r.non2xx + r.errors + r.timeouts;
    return [
      TARGET_LABEL[r.target],
      mode(r.stream),
      String(r.connections),
      r.requestsPerS.toFixed(0),
      ratio,
      ms(r.cpuMsPerRequest.gateway),
      ms(r.cpuMsPerRequest.sim),
      r.rowsLogged === undefined ? '–' : `${r.rowsLogged}/${r.ok}`,
      ms(r.gatewayOverhead?.p50Ms),
      ms(r.gatewayOverhead?.p99Ms),
      String(failed),
      r.otherCpuShare === undefined ? '–' : `${(r.otherCpuShare * 100).toFixed(0)}%`,
    ];
  });
  return table(
    ['variant', 'mode', 'conns', 'req/s', 'vs direct', 'gateway CPU ms/req', 'sim CPU ms/req', 'rows logged/2xx', 'x-aigw-overhead-ms p50', 'p99', 'failed', 'other load'],
    rows,
  );
}

export function profileTable(results: OverheadResults, topN = 15): string[] {
  const p = results.profile;
  if (!p) return [];
  return [
    ...table(
      ['area', '', '', 'self ms', 'share'],
      p.byArea.slice(0, 12).map((a) => [a.area, '', '', a.selfMs.toFixed(0), `${(a.selfShare * 100).toFixed(1)}%`]),
    ),
    '',
    ...table(
      ['function', 'location', '', 'self ms', 'share'],
      p.top.slice(0, topN).map((e) => [`\`${e.functionName}\``, `\`${e.location}\``, '', e.selfMs.toFixed(0), `${(e.selfShare * 100).toFixed(1)}%`]),
    ),
  ];
}

/** The one-line verdict on the target, for model `auto` (routing and logging on). */
export function targetVerdict(results: OverheadResults): string {
  const t = results.targets;
  const auto = results.comparisons.filter((c) => c.target === 'gateway-auto' && !c.stream);
  const parts = auto.map(
    (c) => `${c.connections} connection${c.connections === 1 ? '' : 's'}: added p50 ${signedMs(c.addedP50Ms)} ms, p99 ${signedMs(c.addedP99Ms)} ms (${c.meetsTarget ? 'met' : 'missed'})`,
  );
  const verdict = `Target added p50 ≤ ${t.addedP50Ms} ms and p99 ≤ ${t.addedP99Ms} ms, model \`auto\`, non-streamed — ${parts.join('; ')}.`;
  const other = meanOtherCpuShare(results);
  if (other === undefined || other < SHARED_MACHINE_SHARE) return verdict;
  return `${verdict} **The machine was shared:** other processes kept ${(other * 100).toFixed(0)}% of the cores busy on average during the runs, which inflates the p99s above all; rerun on a quiet machine before reading the tails.`;
}

/** Above this share of the cores busy with other work, the tails are not the gateway's alone. */
const SHARED_MACHINE_SHARE = 0.1;

export function meanOtherCpuShare(results: OverheadResults): number | undefined {
  const shares = results.runs.map((r) => r.otherCpuShare).filter((v): v is number => v !== undefined);
  return shares.length === 0 ? undefined : shares.reduce((a, b) => a + b, 0) / shares.length;
}

/** The generated block of docs/performance.md: method, machine, tables; every number from the JSON. */
export function renderOverheadMarkdown(results: OverheadResults): string {
  const m = results.machine;
  const c = results.config;
  const lines = [
    `Generated by \`${results.command}\` at ${results.generatedAt} (raw numbers: \`bench/results/overhead.json\`).`,
    '',
    ...(results.source
      ? [`Gateway source: commit \`${results.source.commit}\`${results.source.uncommittedSrcChanges ? ' plus uncommitted changes in src/' : ''}.`, '']
      : []),
    `Machine: ${m.cpus} × ${m.cpuModel}, ${(m.totalMemoryMb / 1024).toFixed(0)} GB, Node ${m.node} (${m.platform}/${m.arch}); load average ${m.loadAverage1mAtStart.toFixed(2)} at start, ${m.loadAverage1mAtEnd.toFixed(2)} at end.`,
    '',
    `Method: ${c.topology} Load comes from autocannon's programmatic API with ${c.connections.join(' and ')} connection${c.connections.length === 1 && c.connections[0] === 1 ? '' : 's'}, ${c.durationS} s per target (streamed: ${c.streamDurationS} s) after a ${c.warmupS} s warm-up of each target; the measured time is cut into ${c.rounds} slices that visit direct, named and auto in turn, so a burst of other work on the machine hits all three alike. The simulated upstream answers at once (time scale ${c.simTimeScale}), so upstream time is near constant. Latency is the client's request-to-last-byte time of every 2xx response at full precision; *added* = gateway − direct at the same percentile. Named model: \`${c.namedModel}\`, the model the router picks for this prompt, so all three answer with the same model and body. Gateway config: ${c.gatewayConfig}`,
    '',
    `Request body: \`${JSON.stringify(c.requestBody)}\` (streamed runs add \`"stream": true, "stream_options": {"include_usage": true}\`).`,
    '',
    targetVerdict(results),
    '',
    '### Added latency',
    '',
    ...addedLatencyTable(results),
    '',
    '### Throughput, CPU and logging',
    '',
    'CPU ms/req is user+system time of that process during the run divided by the answered requests (from /proc). `x-aigw-overhead-ms` is the gateway\'s own measure (its total time minus time waiting on the upstream), read from the request rows it logged (rows can exceed 2xx by the requests still in flight when a run stopped). *Other load* is the share of all cores busy with processes outside the benchmark during the run: anything above a few percent means the machine was shared and the run is noisier. At the highest concurrency the three processes keep every core busy, so req/s there is the maximum throughput of each setup on this machine.',
    '',
    ...throughputTable(results),
  ];
  const profile = profileTable(results);
  if (profile.length > 0) {
    lines.push('', `### Where the gateway's CPU time goes (\`--profile\`, ${results.profile!.totalMs.toFixed(0)} ms of samples)`, '', ...profile);
  }
  return lines.join('\n');
}

/** Plain-text tables for stdout. */
export function renderOverheadConsole(results: OverheadResults): string {
  return [targetVerdict(results), '', ...addedLatencyTable(results), '', ...throughputTable(results), ...(results.profile ? ['', ...profileTable(results)] : [])].join('\n');
}
