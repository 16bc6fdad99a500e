import type { Registry } from 'prom-client';

/** A sample as prom-client's Histogram gives it to the registry (labels split from the series' `sharedLabels`). */
interface Sample {
  labels: Record<string, string | number>;
  sharedLabels?: Readonly<Record<string, string>>;
  value: number;
  metricName: string;
  exemplar: null | undefined;
}

/** The metric object prom-client's Registry reads (`get`, `getForPromString`). */
interface HistogramExport {
  name: string;
  help: string;
  type: 'histogram';
  values: Sample[];
  aggregator: 'sum';
}

/** One label set's bucket counts (not cumulative; values above the last bound are only in `count`), sum and count. */
export class HistogramSeries {
  private readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length);
  }

  observe(value: number): void {
    // prom-client rejects these too: one would poison the sum for good.
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
  }

  /** The `_bucket` (cumulative, then +Inf), `_sum` and `_count` samples, shaped as prom-client's Histogram gives them. */
  samples(name: string, out: Sample[]): void {
    let cumulative = 0;
    for (let i = 0; i < this.upperBounds.length; i++) {
      cumulative += this.counts[i]!;
      out.push(sample(`${name}_bucket`, { le: this.upperBounds[i]! }, cumulative, this.labels, null));
    }
    out.push(sample(`${name}_bucket`, { le: '+Inf' }, this.count, this.labels, null));
    out.push(sample(`${name}_sum`, {}, this.sum, this.labels, undefined));
    out.push(sample(`${name}_count`, {}, this.count, this.labels, undefined));
  }
}

function sample(
  metricName: string,
  labels: Record<string, string | number>,
  value: number,
  sharedLabels: Readonly<Record<string, string>>,
  exemplar: null | undefined,
): Sample {
  return { labels, sharedLabels, value, metricName, exemplar };
}

interface PlainHistogramConfig {
  name: string;
  help: string;
  labelNames?: readonly string[];
  buckets: readonly number[];
  registers: Registry[];
}

/**
 * A histogram with up to two labels, exposed exactly as prom-client's Histogram (same samples in the
 * same order, a zero series up front when it has no labels, `aggregator: 'sum'` for cluster mode) but
 * observed without a label check, label hash string and lookup per value: a label set's series is
 * found once (`series(model, stream)`, two map lookups) and an observation is a bucket scan and three
 * adds into plain numbers.
 */
export class PlainHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly string[];
  readonly upperBounds: readonly number[];
  /** first label value → second label value ('' with one label) → series. */
  private byLabels = new Map<string, Map<string, HistogramSeries>>();
  /** Every series in creation order, the order prom-client exposes them in. */
  private all: HistogramSeries[] = [];
  /** The series of a histogram without labels; prom-client exposes it (at zero) before any observation. */
  private unlabelled: HistogramSeries | undefined;

  constructor(config: PlainHistogramConfig) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ?? [];
    if (this.labelNames.length > 2) throw new Error(`${config.name}: at most two labels`);
    this.upperBounds = [...config.buckets];
    this.unlabelled = this.labelNames.length === 0 ? this.addSeries({}) : undefined;
    for (const registry of config.registers) registry.registerMetric(this as never);
  }

  /** Observes into the histogram without labels. */
  observe(value: number): void {
    if (this.labelNames.length > 0) throw new Error(`${this.name} has labels ${this.labelNames.join(', ')}`);
    (this.unlabelled ??= this.addSeries({})).observe(value);
  }

  /** The series of these label values (in `labelNames` order), made on first use. */
  series(first: string, second = ''): HistogramSeries {
    let inner = this.byLabels.get(first);
    if (!inner) {
      inner = new Map();
      this.byLabels.set(first, inner);
    }
    let series = inner.get(second);
    if (!series) {
      if (this.labelNames.length === 0) throw new Error(`${this.name} has no labels`);
      const labels: Record<string, string> = { [this.labelNames[0]!]: first };
      if (this.labelNames.length === 2) labels[this.labelNames[1]!] = second;
      series = this.addSeries(labels);
      inner.set(second, series);
    }
    return series;
  }

  private addSeries(labels: Record<string, string>): HistogramSeries {
    const series = new HistogramSeries(labels, this.upperBounds);
    this.all.push(series);
    return series;
  }

  /** What the registry writes to /metrics: samples carry the series labels as `sharedLabels`. */
  getForPromString(): Promise<HistogramExport> {
    const values: Sample[] = [];
    for (const series of this.all) series.samples(this.name, values);
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** What `getMetricsAsJSON()` returns: the series labels merged after `le`, as prom-client does. */
  async get(): Promise<HistogramExport> {
    const data = await this.getForPromString();
    data.values = data.values.map((v) => {
      const { sharedLabels, labels, ...rest } = v;
      return { ...rest, labels: { ...labels, ...sharedLabels } };
    });
    return data;
  }

  /** `registry.resetMetrics()`: forgets every series, as prom-client's reset does (until the next observation). */
  reset(): void {
    this.byLabels = new Map();
    this.all = [];
    this.unlabelled = undefined;
  }
}
