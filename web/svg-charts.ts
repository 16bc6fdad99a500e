/** One bar or one point of a chart. */
export interface ChartDatum {
  label: string;
  value: number;
}

export interface ChartOptions {
  /** Formats a value for the labels and the tooltips. */
  format: (value: number) => string;
  /** Accessible name of the chart. */
  title: string;
  width?: number;
}

const BAR_HEIGHT_PX = 22;
const BAR_GAP_PX = 6;
const LABEL_WIDTH_PX = 130;
const VALUE_WIDTH_PX = 80;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Horizontal bars, largest first as given; widths are proportional to the largest value. */
export function barChartSvg(data: readonly ChartDatum[], opts: ChartOptions): string {
  const width = opts.width ?? 520;
  const plotWidth = width - LABEL_WIDTH_PX - VALUE_WIDTH_PX;
  const height = Math.max(1, data.length) * (BAR_HEIGHT_PX + BAR_GAP_PX);
  const max = Math.max(0, ...data.map((d) => d.value));
  const bars = data.map((d, i) => {
    const y = i * (BAR_HEIGHT_PX + BAR_GAP_PX);
    const barWidth = max > 0 ? Math.max(1, (d.value / max) * plotWidth) : 1;
    const label = escapeXml(d.label);
    const value = escapeXml(opts.format(d.value));
    return (
      `<g class="bar" data-label="${label}" data-value="${d.value}">` +
      `<text x="${LABEL_WIDTH_PX - 8}" y="${y + 15}" text-anchor="end">${label}</text>` +
      `<rect x="${LABEL_WIDTH_PX}" y="${y}" width="${barWidth.toFixed(1)}" height="${BAR_HEIGHT_PX}" rx="3"><title>${label}: ${value}</title></rect>` +
      `<text x="${(LABEL_WIDTH_PX + barWidth + 6).toFixed(1)}" y="${y + 15}">${value}</text></g>`
    );
  });
  const empty = data.length === 0 ? `<text x="${width / 2}" y="16" text-anchor="middle">no data in this window</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars.join('')}${empty}</svg>`;
}

/** A line over evenly spaced buckets with a zero baseline, first and last labels on the axis. */
export function lineChartSvg(data: readonly ChartDatum[], opts: ChartOptions & { height?: number }): string {
  const width = opts.width ?? 520;
  const height = opts.height ?? 160;
  const pad = { left: 76, right: 12, top: 10, bottom: 24 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(0, ...data.map((d) => d.value));
  const x = (i: number) => pad.left + (data.length > 1 ? (i / (data.length - 1)) * plotW : plotW / 2);
  const y = (v: number) => pad.top + plotH - (max > 0 ? (v / max) * plotH : 0);
  const points = data.map((d, i) => `${x(i).toFixed(1)},${y(d.value).toFixed(1)}`).join(' ');
  const dots = data
    .map(
      (d, i) =>
        `<circle class="point" cx="${x(i).toFixed(1)}" cy="${y(d.value).toFixed(1)}" r="2.5" data-value="${d.value}"><title>${escapeXml(d.label)}: ${escapeXml(opts.format(d.value))}</title></circle>`,
    )
    .join('');
  const first = data[0]?.label ?? '';
  const last = data.at(-1)?.label ?? '';
  const axis =
    `<line class="axis" x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}"/>` +
    `<text x="${pad.left - 6}" y="${pad.top + 8}" text-anchor="end">${escapeXml(opts.format(max))}</text>` +
    `<text x="${pad.left - 6}" y="${pad.top + plotH}" text-anchor="end">${escapeXml(opts.format(0))}</text>` +
    `<text x="${pad.left}" y="${height - 6}">${escapeXml(first)}</text>` +
    `<text x="${pad.left + plotW}" y="${height - 6}" text-anchor="end">${escapeXml(last)}</text>`;
  const line = data.length > 0 ? `<polyline class="line" fill="none" points="${points}"/>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${axis}${line}${dots}</svg>`;
}
