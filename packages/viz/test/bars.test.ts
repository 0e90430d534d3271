import { PNG } from 'pngjs';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { barChartSpec } from '../src/bar-chart.js';
import { renderBars, type BarFigure } from '../src/index.js';

/** Pixels of exactly this colour (the series colours of bars are drawn flat). */
function countColour(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) n++;
  return n;
}

const figure: BarFigure = {
  title: 'load',
  series: ['before', 'after'],
  rows: [
    {
      title: 'requests/s (higher is better)',
      bars: [
        { group: '1 connection', series: 'before', value: 50 },
        { group: '1 connection', series: 'after', value: 100, note: '2.0×' },
        // A hundred times smaller: its own axis keeps its bars as tall as the first panel's.
        { group: '32 connections', series: 'before', value: 0.5 },
        { group: '32 connections', series: 'after', value: 1, label: 'one' },
      ],
    },
  ],
};

describe('renderBars', () => {
  it('draws each bar as tall as its value within its panel, the baseline grey, each panel on its own axis', async () => {
    const png = PNG.sync.read(await renderBars(figure));
    const grey = countColour(png, '#9e9e9e');
    const blue = countColour(png, '#4e79a7');
    // Bars of equal width: the after bars (100 and 1) cover twice the before bars (50 and 0.5), and both panels have visible bars.
    expect(grey).toBeGreaterThan(2000);
    expect(blue / grey).toBeGreaterThan(1.85);
    expect(blue / grey).toBeLessThan(2.15);
  });

  it('labels every bar with its value (or label) and note, and names the series in the legend', async () => {
    const view = new vega.View(vega.parse(compile(barChartSpec(figure)).spec), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toEqual(expect.arrayContaining(['50', '100', '2.0×', '0.5', 'one', 'before', 'after', '1 connection', '32 connections', 'requests/s (higher is better)']));
  });

  it('refuses a bar of an unknown series, a negative or missing value, and a figure without bars', () => {
    const bad = (bar: object) => ({ ...figure, rows: [{ title: 'x', bars: [{ group: 'g', series: 'before', value: 1, ...bar }] }] });
    expect(() => barChartSpec(bad({ series: 'later' }))).toThrow('rows.0.bars.0.series: "later" is not one of the series (before, after)');
    expect(() => barChartSpec(bad({ value: -1 }))).toThrow('rows.0.bars.0.value: expected a finite number of at least 0, got -1');
    expect(() => barChartSpec(bad({ value: Number.NaN }))).toThrow('rows.0.bars.0.value: expected a finite number of at least 0, got NaN');
    expect(() => barChartSpec({ ...figure, rows: [] })).toThrow('rows: no rows of bars to draw');
    expect(() => barChartSpec({ ...figure, rows: [{ title: 'x', bars: [] }] })).toThrow('rows.0.bars: no bars to draw');
  });
});
