import { describe, expect, it } from 'vitest';
import { escapeXml, niceTicks, renderSvgPlot } from './svg-plot.ts';

describe('niceTicks', () => {
  it('picks round steps', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 0.0047)).toEqual([0, 0.001, 0.002, 0.003, 0.004]);
  });
});

describe('renderSvgPlot', () => {
  it('renders a well-formed SVG with one path per line series and escaped labels', () => {
    const svg = renderSvgPlot(
      [
        {
          name: 'router <hull>',
          style: 'line',
          color: '#c00',
          points: [
            { x: 0, y: 0.5 },
            { x: 1, y: 0.9 },
          ],
        },
        { name: 'models', style: 'points', color: '#00c', points: [{ x: 0.5, y: 0.6, label: 'a&b' }] },
      ],
      { title: 'cost vs quality', xLabel: 'cost', yLabel: 'quality' },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)?.length).toBe(1);
    expect(svg).toContain('router &lt;hull&gt;');
    expect(svg).toContain('a&amp;b');
    expect(escapeXml('"x"')).toBe('&quot;x&quot;');
  });
});
