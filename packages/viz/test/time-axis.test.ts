import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { LineFigure } from '@aekit/core';
import { lineChartSpec } from '../src/charts.js';
import { timeAxis } from '../src/time-axis.js';

const DAY = 86_400_000;

/** The axis labels a rendered chart shows (those the overlap rule hid are left out). */
async function visibleAxisLabels(figure: LineFigure): Promise<string[]> {
  const view = new vega.View(vega.parse(compile(lineChartSpec(figure)).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const groups = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>([\s\S]*?)<\/g>/g)].map((m) => m[1]);
  return groups.flatMap((g) => [...g.matchAll(/<text[^>]*opacity="([^"]*)"[^>]*>([^<]*)<\/text>/g)].filter((m) => Number(m[1]) > 0).map((m) => m[2]));
}

/** Trading days (about 1.45 calendar days apart) from `start`, with y values in [0, 1] so the y labels hold no letters. */
function dailySeries(start: number, points: number): LineFigure {
  const x = Float64Array.from({ length: points }, (_, i) => start + Math.round(i * 1.45) * DAY);
  return { title: 'close', xLabel: 'date', yLabel: 'close', xTime: true, series: [{ name: 'close', x, y: Float64Array.from(x, (_, i) => i / points) }] };
}

describe('time axis', () => {
  it('names the year on every label of a chart over several years', async () => {
    // Four years of trading days (the test part of the S&P 500 from 2016): vega's own labels showed only "April", "October".
    const labels = await visibleAxisLabels(dailySeries(Date.UTC(2016, 2, 30), 1021));
    const dated = labels.filter((l) => /[A-Za-z]/.test(l) || /^\d{4}$/.test(l));
    expect(dated.length).toBeGreaterThanOrEqual(4);
    for (const label of dated) expect(label).toMatch(/\b(2016|2017|2018|2019|2020)\b/);
  });

  it('picks years, months or days by the span', () => {
    expect(timeAxis(Date.UTC(2000, 0, 3), Date.UTC(2020, 3, 17))).toEqual({ format: '%Y', tickCount: { interval: 'year', step: 5 }, labelOverlap: true });
    expect(timeAxis(Date.UTC(1958, 2, 1), Date.UTC(2020, 3, 1)).tickCount).toEqual({ interval: 'year', step: 10 });
    expect(timeAxis(Date.UTC(2016, 2, 30), Date.UTC(2020, 3, 17))).toEqual({ format: '%b %Y', tickCount: { interval: 'month', step: 6 }, labelOverlap: true });
    expect(timeAxis(Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 20)).format).toBe('%b %d, %Y');
    expect(timeAxis(Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1, 12)).format).toBe('%b %d, %Y %H:%M');
  });
});
