/** A small line/scatter plot as standalone SVG text, no dependencies. */
export interface PlotSeries {
  name: string;
  points: ReadonlyArray<{ x: number; y: number; label?: string }>;
  color: string;
  /** 'line' joins the points in x order; 'points' draws markers only. */
  style: 'line' | 'points' | 'dashed';
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

const MARGIN = { left: 70, right: 190, top: 40, bottom: 55 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick values: 1, 2 or 5 times a power of ten. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

export function renderSvgPlot(series: readonly PlotSeries[], options: PlotOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 460;
  const all = series.flatMap((s) => s.points);
  const xMin = Math.min(...all.map((p) => p.x), 0);
  const xMax = Math.max(...all.map((p) => p.x), xMin + 1e-12);
  const yLo = Math.min(...all.map((p) => p.y));
  const yHi = Math.max(...all.map((p) => p.y));
  const pad = (yHi - yLo || 1) * 0.05;
  const yMin = yLo - pad;
  const yMax = yHi + pad;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2 - MARGIN.right / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (const t of niceTicks(xMin, xMax)) {
    parts.push(`<line x1="${f(sx(t))}" y1="${MARGIN.top + plotH}" x2="${f(sx(t))}" y2="${MARGIN.top + plotH + 5}" stroke="#666"/>`);
    parts.push(`<text x="${f(sx(t))}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
  }
  for (const t of niceTicks(yMin, yMax)) {
    parts.push(`<line x1="${MARGIN.left - 5}" y1="${f(sy(t))}" x2="${MARGIN.left + plotW}" y2="${f(sy(t))}" stroke="#eee"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${f(sy(t) + 4)}" text-anchor="end">${escapeXml(formatTick(t))}</text>`);
  }
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  series.forEach((s, k) => {
    if (s.style !== 'points' && s.points.length > 1) {
      const d = [...s.points]
        .sort((a, b) => a.x - b.x)
        .map((p, i) => `${i === 0 ? 'M' : 'L'}${f(sx(p.x))},${f(sy(p.y))}`)
        .join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    for (const p of s.points) {
      parts.push(
        `<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="${s.style === 'points' ? 4 : 2.5}" fill="${s.color}">` +
          (p.label ? `<title>${escapeXml(p.label)}</title>` : '') +
          '</circle>',
      );
      if (s.style === 'points' && p.label)
        parts.push(`<text x="${f(sx(p.x) + 6)}" y="${f(sy(p.y) - 5)}" font-size="9" fill="#444">${escapeXml(p.label)}</text>`);
    }
    const ly = MARGIN.top + 10 + k * 20;
    const lx = MARGIN.left + plotW + 15;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.style === 'dashed' ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    parts.push(`<text x="${lx + 28}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 0.01 || a >= 1e5 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}
