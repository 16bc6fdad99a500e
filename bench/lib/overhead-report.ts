import type { Comparison, OverheadResults, RunResult, Target } from './overhead-results.ts';
import { floorSummary, floorTable } from './overhead-floor.ts';
import { issueTargetsTable } from './overhead-targets.ts';

const TARGET_LABEL: Record<Target, string> = {
  direct: 'direct (sim)',
  'gateway-named': 'gateway, named model',
  'gateway-auto': 'gateway, model auto',
  'gateway-keyed': 'gateway, named model, key + budgets + rate limit (Redis)',
  portkey: 'Portkey gateway',
  floor: 'floor: bare Node proxy (undici)',
};

/** Short names for the method text, in the order the rounds visit the targets. */
const TARGET_SHORT: Record<Target, string> = {
  direct: 'direct',
  'gateway-named': 'named',
  'gateway-auto': 'auto',
  'gateway-keyed': 'keyed',
  portkey: 'Portkey',
  floor: 'floor',
};

/** "1, 10 and 50". */
function listText(values: readonly number[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} and ${values.at(-1)}`;
}

function ms(v: number | undefined, digits = 3): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

function signedMs(v: number): string {
  return `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
}

function mode(stream: boolean): string {
  return stream ? 'stream' : 'json';
}

/** A markdown table whose first `leftColumns` columns are left-aligned and the rest (numbers) right-aligned. */
function table(header: string[], rows: string[][], leftColumns = 3): string[] {
  const align = header.map((_, i) => (i < leftColumns ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function findRun(results: OverheadResults, c: Pick<Comparison, 'stream' | 'connections'>, target: Target): RunResult | undefined {
  return results.runs.find((r) => r.target === target && r.stream === c.stream && r.connections === c.connections);
}

/** Added latency per gateway variant (aigw's and Portkey) against the direct run at the same mode and concurrency. */
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
      // The target is aigw's own; Portkey and the floor are measured beside it, not held to it.
      c.target === 'portkey' || c.target === 'floor' ? '–' : c.meetsTarget ? 'yes' : 'no',
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
      ms(r.cpuMsPerRequest.gateway ?? r.cpuMsPerRequest.portkey ?? r.cpuMsPerRequest.floor),
      ms(r.cpuMsPerRequest.sim),
      r.rowsLogged === undefined ? '–' : `${r.rowsLogged}/${r.ok}`,
      ms(r.gatewayOverhead?.p50Ms),
      ms(r.gatewayOverhead?.p99Ms),
      String(failed),
      r.otherCpuShare === undefined ? '–' : `${(r.otherCpuShare * 100).toFixed(0)}%`,
    ];
  });
  return table(
    [
      'variant',
      'mode',
      'conns',
      'req/s',
      'vs direct',
      'proxy CPU ms/req',
      'sim CPU ms/req',
      'rows logged/2xx',
      'x-aigw-overhead-ms p50',
      'p99',
      'failed',
      'other load',
    ],
    rows,
  );
}

/** aigw beside Portkey (and the floor, when it ran) per mode and concurrency: added p50/p99 and req/s; empty without Portkey runs. */
export function versusPortkeyTable(results: OverheadResults): string[] {
  if (!results.runs.some((r) => r.target === 'portkey')) return [];
  const withFloor = results.runs.some((r) => r.target === 'floor');
  const variants: Target[] = ['gateway-named', 'gateway-auto', 'portkey', ...(withFloor ? (['floor'] as const) : [])];
  const groups = results.runs.filter((r) => r.target === 'direct');
  const rows = groups.map((d) => {
    const added = (t: Target, pick: (c: Comparison) => number) => {
      const c = results.comparisons.find((x) => x.target === t && x.stream === d.stream && x.connections === d.connections);
      return c ? signedMs(pick(c)) : '–';
    };
    const rps = (t: Target) => findRun(results, d, t)?.requestsPerS.toFixed(0) ?? '–';
    return [
      mode(d.stream),
      String(d.connections),
      ...variants.map((t) => added(t, (c) => c.addedP50Ms)),
      ...variants.map((t) => added(t, (c) => c.addedP99Ms)),
      rps('direct'),
      ...variants.map(rps),
    ];
  });
  const names = ['aigw named', 'aigw auto', 'Portkey', ...(withFloor ? ['floor'] : [])];
  return table(
    ['mode', 'conns', ...names.map((n) => `added p50 ms ${n}`), ...names.map((n) => `added p99 ms ${n}`), 'req/s direct', ...names.map((n) => `req/s ${n}`)],
    rows,
    2,
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

/** The one-line verdict on the issue's target, for model `auto` (routing and logging on). */
export function targetVerdict(results: OverheadResults): string {
  const t = results.targets;
  const auto = results.comparisons.filter((c) => c.target === 'gateway-auto' && !c.stream);
  const parts = auto.map(
    (c) =>
      `${c.connections} connection${c.connections === 1 ? '' : 's'}: added p50 ${signedMs(c.addedP50Ms)} ms, p99 ${signedMs(c.addedP99Ms)} ms (${c.meetsTarget ? 'met' : 'missed'})`,
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

/** "direct, named and auto": the targets measured, in the order each round visits them. */
export function visitedTargetsText(results: OverheadResults): string {
  const names = [...new Set(results.runs.map((r) => r.target))].map((t) => TARGET_SHORT[t]);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The floor (a bare Node proxy) against the targets, with its heading; empty without floor runs. */
function floorSection(results: OverheadResults): string[] {
  const t = floorTable(results);
  if (t.length === 0) return [];
  return [
    '### The floor: a bare Node proxy',
    '',
    "*needs* is the share of the floor's req/s that aigw must reach for the issue's multiple of Portkey at that concurrency; above 1, no Node proxy reaches it on this machine. *CPU budget* is the CPU per request aigw may spend for that multiple when the cores are saturated (10 and 50 connections), where req/s goes as 1 / (CPU per request of load generator + upstream + proxy): Portkey's total over the multiple, less what aigw's requests cost the load generator and the upstream. At 1 connection req/s is bound by latency, not CPU, and the budget is only indicative.",
    '',
    ...[floorSummary(results)].filter(Boolean).flatMap((s) => [s, '']),
    ...t,
    '',
  ];
}

/** The generated block of docs/performance.md: method, machine, tables; every number from the JSON. */
export function renderOverheadMarkdown(results: OverheadResults): string {
  const m = results.machine;
  const c = results.config;
  const versus = versusPortkeyTable(results);
  const lines = [
    `Generated by \`${results.command}\` at ${results.generatedAt} (raw numbers: \`bench/results/overhead.json\`).`,
    '',
    ...(results.source
      ? [`Gateway source: commit \`${results.source.commit}\`${results.source.uncommittedSrcChanges ? ' plus uncommitted changes in src/' : ''}.`, '']
      : []),
    `Machine: ${m.cpus} × ${m.cpuModel}, ${(m.totalMemoryMb / 1024).toFixed(0)} GB, Node ${m.node} (${m.platform}/${m.arch}); load average ${m.loadAverage1mAtStart.toFixed(2)} at start, ${m.loadAverage1mAtEnd.toFixed(2)} at end.`,
    '',
    `Method: ${c.topology}${c.keyedConfig ? ` The keyed target is ${c.keyedConfig}` : ''}${c.floorConfig ? ` The floor target is ${c.floorConfig}` : ''} Load comes from autocannon's programmatic API with ${listText(c.connections)} connection${c.connections.length === 1 && c.connections[0] === 1 ? '' : 's'}${c.streamConnections ? ` (streamed: ${listText(c.streamConnections)})` : ''}, ${c.durationS} s per target (streamed: ${c.streamDurationS} s) after a ${c.warmupS} s warm-up of each target; the measured time is cut into ${c.rounds} slices that visit ${visitedTargetsText(results)} in turn, so a burst of other work on the machine hits every target alike. The simulated upstream answers at once (time scale ${c.simTimeScale}), so upstream time is near constant. Latency is the client's request-to-last-byte time of every 2xx response at full precision; *added* = gateway − direct at the same percentile. Named model: \`${c.namedModel}\`, the model the router picks for this prompt, so every path is answered by the same model with the same body. Gateway config: ${c.gatewayConfig}${c.portkey ? ` Portkey config: none beyond the two headers (no \`x-portkey-config\`, so no retries, fallbacks, cache or guardrails), \`--headless\` (no log console).` : ''}`,
    '',
    `Request body: \`${JSON.stringify(c.requestBody)}\` (streamed runs add \`"stream": true, "stream_options": {"include_usage": true}\`).`,
    '',
    targetVerdict(results),
    '',
    '### Issue 19 targets',
    '',
    ...issueTargetsTable(results),
    '',
    ...floorSection(results),
    ...(versus.length > 0
      ? [
          '### aigw beside Portkey',
          '',
          'Added latency against direct at the same mode and concurrency, and throughput, from the tables below.',
          '',
          ...versus,
          '',
        ]
      : []),
    '### Added latency',
    '',
    ...addedLatencyTable(results),
    '',
    '### Throughput, CPU and logging',
    '',
    "CPU ms/req is user+system time of that process during the run divided by the answered requests (from /proc). `x-aigw-overhead-ms` is the gateway's own measure (its total time minus time waiting on the upstream), read from the request rows it logged (rows can exceed 2xx by the requests still in flight when a run stopped). *Other load* is the share of all cores busy with processes outside the benchmark during the run: anything above a few percent means the machine was shared and the run is noisier. At the highest concurrency the benchmark processes keep every core busy, so req/s there is the maximum throughput of each setup on this machine.",
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
  const versus = versusPortkeyTable(results);
  return [
    targetVerdict(results),
    '',
    ...issueTargetsTable(results),
    '',
    ...floorSection(results),
    ...(versus.length > 0 ? [...versus, ''] : []),
    ...addedLatencyTable(results),
    '',
    ...throughputTable(results),
    ...(results.profile ? ['', ...profileTable(results)] : []),
  ].join('\n');
}
