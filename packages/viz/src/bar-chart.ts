import type { TopLevelSpec } from 'vega-lite';
import { ConfigError } from '@aekit/core';
import { renderVegaLite } from './charts.js';

/** One bar of a {@link BarFigure}: the value of one series in one group. */
export interface Bar {
  /** The panel the bar stands in (a model and batch size, a number of connections). */
  group: string;
  /** Which of the figure's `series` it is (a runtime, a server version). */
  series: string;
  /** The bar's height. */
  value: number;
  /** Text over the bar; the value, rounded, when left out. */
  label?: string;
  /** A second, bold line above the label: how the bar compares with the baseline, say `2.9×`. */
  note?: string;
}

/**
 * A bar chart in panels, for benchmark results: rows of panels, each row
 * one measure (throughput, latency) under its own title; in a row one panel
 * per group, each with its own axis; in each panel one bar per series, side
 * by side, so that a result stands beside its baseline or peer measured in
 * the same run.
 */
export interface BarFigure {
  /** The chart's title, over everything. */
  title: string;
  /** Lines under the title (what was measured, on what machine); keep each under ~90 characters, so that the chart stays a guide's column wide. */
  subtitle?: string | readonly string[];
  /** The series in the order (and colours) their bars take in every panel; name the baseline or peer first. */
  series: readonly string[];
  /** The rows of panels: each one's title (the measure, and which way is better) and its bars. */
  rows: readonly { title: string; bars: readonly Bar[] }[];
}

/** Colours of the series: grey for the first (the baseline or peer), then blues and an orange that stay apart for colour-blind readers. */
const SERIES_COLOURS = ['#9e9e9e', '#4e79a7', '#1f3b73', '#f28e2b', '#59a14f', '#b07aa1'];

/** Room above the tallest bar of a panel for its label, and its note. */
const HEADROOM = 1.15;
const NOTE_HEADROOM = 1.3;

/** Width of the row of panels, in CSS pixels: a guide's column, so that the text stays readable when the page shows it whole. */
const ROW_WIDTH = 600;

/**
 * Draws a {@link BarFigure} as PNG bytes: each panel has its own y axis
 * starting at 0 (groups may differ a hundredfold, and bars within a panel
 * are what is compared), every bar carries its value (or its label) and
 * its note, and the series share one legend.
 *
 * @param figure - Title, series and the rows of bars.
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { renderBars } from '@aekit/viz';
 *
 * const png = await renderBars({
 *   title: 'ae serve under load',
 *   series: ['before', 'after'],
 *   rows: [
 *     {
 *       title: 'requests/s (higher is better)',
 *       bars: [
 *         { group: '1 connection', series: 'before', value: 288 },
 *         { group: '1 connection', series: 'after', value: 631, note: '2.2×' },
 *       ],
 *     },
 *   ],
 * });
 * await writeFile('load.png', png);
 * ```
 */
export async function renderBars(figure: BarFigure): Promise<Buffer> {
  return renderVegaLite(barChartSpec(figure));
}

/**
 * The Vega-Lite spec {@link renderBars} draws; checks that every bar names
 * a series of the figure and has a finite value of at least 0.
 *
 * @param figure - Title, series and the rows of bars.
 */
export function barChartSpec(figure: BarFigure): TopLevelSpec {
  if (figure.rows.length === 0) throw new ConfigError('rows', 'no rows of bars to draw');
  const series = [...figure.series];
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: series, range: SERIES_COLOURS.slice(0, series.length) },
    // labelLimit 0: no limit (Vega's estimate of text widths cut series names that fit).
    legend: { orient: 'top', direction: 'horizontal', gridAlign: 'none', columnPadding: 28, labelFontSize: 13, labelLimit: 0, symbolType: 'square', symbolSize: 150 },
  };
  const rows = figure.rows.map((row, r) => {
    const groups: string[] = [];
    row.bars.forEach((bar, b) => {
      if (!series.includes(bar.series)) throw new ConfigError(`rows.${r}.bars.${b}.series`, `"${bar.series}" is not one of the series (${series.join(', ')})`);
      if (!Number.isFinite(bar.value) || bar.value < 0) throw new ConfigError(`rows.${r}.bars.${b}.value`, `expected a finite number of at least 0, got ${bar.value}`);
      if (!groups.includes(bar.group)) groups.push(bar.group);
    });
    if (groups.length === 0) throw new ConfigError(`rows.${r}.bars`, 'no bars to draw');
    return {
      title: { text: row.title, anchor: 'start', fontSize: 13 },
      data: { values: row.bars.map((bar) => ({ ...bar, label: bar.label ?? rounded(bar.value), note: bar.note ?? '', top: bar.value * (bar.note ? NOTE_HEADROOM : HEADROOM) })) },
      facet: { column: { field: 'group', type: 'nominal', sort: groups, title: null, header: { labelFontSize: 13, labelPadding: 4 } } },
      spec: {
        width: Math.floor(ROW_WIDTH / groups.length) - 48,
        height: 170,
        encoding: { x: { field: 'series', type: 'nominal', sort: series, axis: null, scale: { paddingInner: 0.12, paddingOuter: 0.15 } } },
        layer: [
          { mark: { type: 'bar' }, encoding: { y: { field: 'value', type: 'quantitative', title: null, axis: { format: '~s', labelExpr: "datum.value === 0 ? '0' : datum.label", labelFontSize: 11, tickCount: 4, minExtent: 44 } }, color: colour } },
          { mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 12 }, encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } } },
          { mark: { type: 'text', baseline: 'bottom', dy: -18, fontSize: 12, fontWeight: 'bold' }, encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'note' } } },
          // An invisible point above each bar, so that the axis leaves room for its label.
          { mark: { type: 'point', opacity: 0 }, encoding: { y: { field: 'top', type: 'quantitative' } } },
        ],
      },
      resolve: { scale: { y: 'independent' } },
      spacing: 12,
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: figure.title, ...(figure.subtitle === undefined ? {} : { subtitle: figure.subtitle }), anchor: 'start', fontSize: 15, subtitleFontSize: 12, subtitlePadding: 6 },
    vconcat: rows,
    spacing: 20,
    resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
  } as unknown as TopLevelSpec;
}

/** A bar's default label: whole numbers with thousands separators, three significant digits below 100. */
function rounded(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : Number(value.toPrecision(3)).toString();
}
