import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ConfigError, type HeatmapFigure, type LineFigure, type ScatterFigure } from '@aekit/core';
import { svgToPng } from './svg-to-png.js';
import { timeAxis } from './time-axis.js';

/**
 * Renders a Vega-Lite specification to PNG bytes: Vega-Lite (a maintained,
 * declarative grammar of charts) compiles it, Vega renders SVG headlessly,
 * and resvg turns that into pixels.
 *
 * @param spec - A Vega-Lite spec with inline data.
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<Buffer> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svgToPng(svg, 2);
}

/**
 * A line chart of one or more series (loss curves, time series with their
 * anomaly scores), with optional marked points drawn in red.
 *
 * @param figure - Title, axis labels and series.
 */
export async function renderLines(figure: LineFigure): Promise<Buffer> {
  return renderVegaLite(lineChartSpec(figure));
}

/**
 * The Vega-Lite spec {@link renderLines} draws.
 *
 * @param figure - Title, axis labels and series.
 */
export function lineChartSpec(figure: LineFigure): TopLevelSpec {
  const rows: { x: number; y: number; series: string }[] = [];
  for (const s of figure.series) {
    if (s.x.length !== s.y.length) throw new ConfigError(`series.${s.name}`, `x has ${s.x.length} values, y has ${s.y.length}`);
    for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.y[i])) rows.push({ x: s.x[i], y: s.y[i], series: s.name });
  }
  const layers: TopLevelSpec[] = [];
  const line = {
    data: { values: rows },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: xEncoding(figure, figure.xLabel),
      y: { field: 'y', type: 'quantitative', title: figure.yLabel, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, legend: figure.series.length > 1 ? { orient: 'top' } : null },
    },
  };
  layers.push(line as unknown as TopLevelSpec);
  if (figure.marks && figure.marks.x.length > 0) {
    const marks = Array.from(figure.marks.x, (x, i) => ({ x, y: figure.marks!.y[i] }));
    layers.push({
      data: { values: marks },
      mark: { type: 'point', color: '#d62728', filled: true, size: 30 },
      encoding: { x: xEncoding(figure), y: { field: 'y', type: 'quantitative' } },
    } as unknown as TopLevelSpec);
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figure.title,
    width: 560,
    height: 260,
    layer: layers,
  } as unknown as TopLevelSpec;
}

/** The x axis of a line chart: dates (UTC, so a file's dates read the same on every machine; each label with its year) or numbers. */
function xEncoding(figure: LineFigure, title?: string): Record<string, unknown> {
  const titled = title === undefined ? {} : { title };
  if (!figure.xTime) return { field: 'x', type: 'quantitative', ...titled };
  let from = Infinity;
  let to = -Infinity;
  for (const s of figure.series) {
    for (let i = 0; i < s.x.length; i++) {
      from = Math.min(from, s.x[i]);
      to = Math.max(to, s.x[i]);
    }
  }
  return { field: 'x', type: 'temporal', scale: { type: 'utc' }, axis: Number.isFinite(from) ? timeAxis(from, to) : { labelOverlap: true }, ...titled };
}

/**
 * A scatter plot, coloured by category with a legend (codes of digits
 * embedded in 2-D, a VAE's latent means).
 *
 * @param figure - Title, points and optional categories.
 */
export async function renderScatter(figure: ScatterFigure): Promise<Buffer> {
  if (figure.x.length !== figure.y.length) throw new ConfigError('y', `has ${figure.y.length} values, x has ${figure.x.length}`);
  const values = Array.from(figure.x, (x, i) => ({ x, y: figure.y[i], category: figure.category ? String(figure.category[i]) : '' }));
  return renderVegaLite({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figure.title,
    width: 440,
    height: 440,
    data: { values },
    mark: { type: 'circle', size: 12, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: figure.xLabel ?? null, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: figure.yLabel ?? null, scale: { zero: false } },
      ...(figure.category
        ? { color: { field: 'category', type: 'nominal', title: 'class', scale: { scheme: 'category10' }, sort: 'ascending' } }
        : {}),
    },
  } as unknown as TopLevelSpec);
}

/** Values beyond this many units from 0 share the end colours, so one outlier does not wash out the rest. */
const HEATMAP_CLAMP = 3;

/**
 * A heat map of one or more panels side by side, one cell per row and
 * column, with the column names along the bottom and a diverging colour
 * scale centred on 0 (blue below, red above, clamped at ±3): a table's
 * standardised test rows beside their reconstructions.
 *
 * @param figure - Title, row and column names, and the panels' values.
 */
export async function renderHeatmap(figure: HeatmapFigure): Promise<Buffer> {
  const { rows, columns } = figure;
  const cells: { panel: string; row: string; column: string; value: number }[] = [];
  for (const panel of figure.panels) {
    if (panel.values.length !== rows.length * columns.length) {
      throw new ConfigError(`panels.${panel.name}`, `has ${panel.values.length} values, expected ${rows.length} rows x ${columns.length} columns`);
    }
    rows.forEach((row, r) =>
      columns.forEach((column, c) => cells.push({ panel: panel.name, row, column, value: panel.values[r * columns.length + c] })),
    );
  }
  // Cells big enough to see each row, narrower when there are many columns.
  const cell = Math.max(6, Math.min(22, Math.floor(640 / (columns.length * figure.panels.length))));
  return renderVegaLite({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figure.title,
    data: { values: cells },
    facet: { column: { field: 'panel', type: 'nominal', title: null, sort: figure.panels.map((p) => p.name), header: { labelFontSize: 13 } } },
    spec: {
      width: cell * columns.length,
      height: cell * rows.length,
      mark: { type: 'rect' },
      encoding: {
        x: { field: 'column', type: 'nominal', sort: columns, title: null, axis: { labelAngle: -45, labelLimit: 120 } },
        y: { field: 'row', type: 'nominal', sort: rows, title: null },
        color: {
          field: 'value',
          type: 'quantitative',
          title: figure.valueLabel ?? 'value',
          scale: { scheme: 'redblue', reverse: true, domain: [-HEATMAP_CLAMP, HEATMAP_CLAMP], domainMid: 0, clamp: true },
        },
      },
    },
    resolve: { scale: { color: 'shared' } },
  } as unknown as TopLevelSpec);
}
