import { describe, expect, it } from 'vitest';
import { formatMs, formatShare, formatUsd } from './format.ts';
import { barChartSvg, escapeXml, lineChartSvg } from './svg-charts.ts';

const plain = (v: number) => String(v);

describe('barChartSvg', () => {
  it('draws one bar per datum, widths proportional to the largest value', () => {
    const svg = barChartSvg(
      [
        { label: 'a', value: 40 },
        { label: 'b', value: 10 },
      ],
      { title: 't', format: plain, width: 410 },
    );
    // 410 wide minus 130 for labels and 80 for values leaves 200 px of plot.
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('width="200.0"');
    expect(svg).toContain('width="50.0"');
  });

  it('escapes labels and says when there is no data', () => {
    expect(barChartSvg([{ label: '<b>&', value: 1 }], { title: 't', format: plain })).toContain('&lt;b&gt;&amp;');
    expect(barChartSvg([], { title: 't', format: plain })).toContain('no data in this window');
  });
});

describe('lineChartSvg', () => {
  it('puts the largest value at the top and zero on the baseline', () => {
    const svg = lineChartSvg(
      [
        { label: 'h0', value: 0 },
        { label: 'h1', value: 5 },
      ],
      { title: 't', format: plain, width: 288, height: 134 },
    );
    // top padding 10, plot height 134 - 10 - 24 = 100: value 5 at y=10, value 0 at y=110; x from 76 (room for a "$0.000725" label) to 276.
    expect(svg).toContain('points="76.0,110.0 276.0,10.0"');
  });
});

describe('formats', () => {
  it('keeps small costs readable and units explicit', () => {
    expect(formatUsd(0.000123456)).toBe('$0.000123');
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(null)).toBe('n/a');
    expect(formatMs(1530)).toBe('1.53 s');
    expect(formatMs(0.456)).toBe('0.46 ms');
    expect(formatShare(0.25)).toBe('25.0%');
    expect(escapeXml(`"'`)).toBe('&quot;&#39;');
  });
});
