/** One row of small grey or colour pictures with a label, values in [0, 1]. */
export interface ImageRow {
  /** Text drawn at the left of the row, e.g. `original`. */
  label: string;
  /** One Float32Array of `height * width * channels` values per picture (row by row, channels last). */
  images: Float32Array[];
  height: number;
  width: number;
  /** 1 for grey (the default), 3 for RGB colour. */
  channels?: 1 | 3;
}

/** A labelled 2-D point cloud, e.g. codes embedded with t-SNE. */
export interface ScatterFigure {
  title: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Category of each point (a digit), drawn as colour with a legend. */
  category?: ArrayLike<number | string>;
  xLabel?: string;
  yLabel?: string;
}

/**
 * Panels of a grid of values side by side, one cell per item and column,
 * coloured by value (a table's test rows above their reconstructions).
 */
export interface HeatmapFigure {
  title: string;
  /** Names of the columns, left to right (a table's features). */
  columns: string[];
  /** Names of the rows, top to bottom (the items). */
  rows: string[];
  /** The panels, left to right, each with `rows.length * columns.length` values, row by row. */
  panels: { name: string; values: ArrayLike<number> }[];
  /** What the colours measure, for the legend (e.g. `standardised value`). */
  valueLabel?: string;
}

/** Line plot of one or more series over a shared x axis. */
export interface LineFigure {
  title: string;
  xLabel: string;
  yLabel: string;
  series: { name: string; x: ArrayLike<number>; y: ArrayLike<number> }[];
  /** The x values are times in milliseconds since 1970 UTC (a series' dates): drawn as a date axis. */
  xTime?: boolean;
  /** Optional points to mark, e.g. flagged anomalies. */
  marks?: { name: string; x: ArrayLike<number>; y: ArrayLike<number> };
}

/**
 * Writes pictures into a run directory. Core only describes the figures;
 * the command-line tool implements this with a PNG and chart library, so
 * families stay free of Node-only dependencies.
 */
export interface FigureWriter {
  /**
   * Rows of pictures stacked into one PNG; returns the file's path.
   *
   * @param file - File name of the PNG, inside the writer's directory.
   * @param rows - The rows of pictures, top to bottom, each with its label.
   * @param options - Drawing settings; all optional.
   * @param options.scale - Enlargement of each picture, in screen pixels per image pixel.
   * @param options.title - Title drawn above the rows.
   */
  imageRows(file: string, rows: ImageRow[], options?: { scale?: number; title?: string }): Promise<string>;
  /**
   * A scatter plot PNG; returns the file's path.
   *
   * @param file - File name of the PNG, inside the writer's directory.
   * @param figure - The points, their groups and the title to plot.
   */
  scatter(file: string, figure: ScatterFigure): Promise<string>;
  /**
   * A line plot PNG; returns the file's path.
   *
   * @param file - File name of the PNG, inside the writer's directory.
   * @param figure - The series, axes and title to plot.
   */
  lines(file: string, figure: LineFigure): Promise<string>;
  /**
   * A heat-map PNG of one or more panels of values; returns the file's path.
   * Optional, so writers made before it existed still type-check; the `ae`
   * tool's writers have it.
   *
   * @param file - File name of the PNG, inside the writer's directory.
   * @param figure - The panels, their row and column names and the title.
   */
  heatmap?(file: string, figure: HeatmapFigure): Promise<string>;
}
