import { escapeXml, renderSvgPlot } from '../../router/eval/svg-plot.ts';
import { formatValue } from './format-metric.ts';
import type { ReportDocument } from './report-document.ts';

/** Spend per trend bucket as a line: x is hours since the window's start so the axis reads plainly. */
export function costTrendSvg(doc: ReportDocument): string | undefined {
  const trend = doc.current_state.cost.trend;
  if (trend.length < 2) return undefined;
  const startMs = Date.parse(trend[0]!.bucket_start);
  const points = trend.map((t) => ({
    x: (Date.parse(t.bucket_start) - startMs) / 3_600_000,
    y: t.cost_usd,
    label: `${t.bucket_start}: $${t.cost_usd.toFixed(6)}, ${t.requests} requests`,
  }));
  return renderSvgPlot([{ name: 'spend (USD)', points, color: '#2563eb', style: 'line' }], {
    title: 'Cost trend',
    xLabel: `hours since ${trend[0]!.bucket_start}`,
    yLabel: 'USD per bucket',
    width: 720,
    height: 320,
  });
}

const BAR_COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2', '#65a30d', '#db2777'];

/** Model mix as horizontal bars of request share; one bar per model, largest first. */
export function modelMixSvg(doc: ReportDocument): string | undefined {
  const models = doc.current_state.performance.model_distribution.filter((b) => b.share_pct.value !== null);
  if (models.length === 0) return undefined;
  const barH = 22;
  // Wide enough for the longest label (about 7 px per character at 12 px), so no model name is cut off.
  const labelW = Math.max(120, 16 + 7 * Math.max(...models.map((b) => b.name.length)));
  const barW = 420;
  const height = 40 + models.length * (barH + 8);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 120}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="10" y="20" font-size="15">Model mix (share of requests)</text>`,
  ];
  models.forEach((b, i) => {
    const y = 34 + i * (barH + 8);
    const share = Math.max(0, Math.min(100, b.share_pct.value ?? 0));
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${escapeXml(b.name)}</text>`);
    parts.push(
      `<rect x="${labelW}" y="${y}" width="${((share / 100) * barW).toFixed(1)}" height="${barH}" fill="${BAR_COLORS[i % BAR_COLORS.length]}"><title>${escapeXml(`${b.name}: ${formatValue(b.value)} requests`)}</title></rect>`,
    );
    parts.push(`<text x="${labelW + (share / 100) * barW + 6}" y="${y + 15}">${escapeXml(formatValue(b.share_pct))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
