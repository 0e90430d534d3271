import { restoreSeriesWindow, tf, type Autoencoder, type FigureWriter, type LineFigure, type SeriesWindows, type TimeSeries } from '@aekit/core';

/** The x values of points `from .. to-1`: their times where the series has them (dates drawn as dates), else their positions. */
function axis(series: TimeSeries, from: number, to: number): { x: Float64Array; xLabel: string; xTime: boolean } {
  const x = Float64Array.from({ length: to - from }, (_, i) => (series.times ? series.times[from + i] : from + i));
  const xTime = series.timeKind === 'date';
  return { x, xLabel: series.times ? (xTime ? 'date' : 'time') : 'point', xTime };
}

/**
 * Writes `reconstructions.png` for a series run: the test part of the
 * first signal, in the file's units, and the model's reconstruction of it
 * (windows side by side, each restored to raw units with its own trend),
 * over the file's dates where it has them.
 *
 * @param figures - Writer for the run directory.
 * @param autoencoder - The trained model.
 * @param test - The test windows.
 * @param title - Title of the picture.
 */
export async function writeSeriesReconstruction(figures: FigureWriter, autoencoder: Autoencoder, test: SeriesWindows, title: string): Promise<string | undefined> {
  if (test.size === 0) return undefined;
  const { series, preprocessing } = test;
  const { window } = preprocessing;
  const from = test.starts[0];
  const to = test.starts[test.size - 1] + window;
  // Windows side by side from the start of the test part, the last one aligned with its end.
  const picked: number[] = [];
  for (let i = 0; i < test.size; i++) if ((test.starts[i] - from) % window === 0 || i === test.size - 1) picked.push(i);
  const output = tf.tidy(() => autoencoder.reconstruct(test.reshape(autoencoder.inputShape).batch(picked)).dataSync() as Float32Array);
  const { channels } = series;
  const restored = new Float32Array(to - from).fill(NaN);
  picked.forEach((index, k) => {
    const start = test.starts[index];
    const values = restoreSeriesWindow(series, preprocessing, start, output.subarray(k * window * channels, (k + 1) * window * channels));
    for (let t = 0; t < window; t++) restored[start - from + t] = values[t * channels];
  });
  const { x, xLabel, xTime } = axis(series, from, to);
  const name = series.names[0];
  const figure: LineFigure = {
    title: `${title}: ${name}${channels > 1 ? ` (1 of ${channels} signals)` : ''}, test part`,
    xLabel,
    yLabel: name,
    xTime,
    series: [
      { name, x, y: Float32Array.from({ length: to - from }, (_, i) => series.values[(from + i) * channels]) },
      { name: 'reconstruction', x, y: restored },
    ],
  };
  return figures.lines('reconstructions.png', figure);
}

/** What {@link writeSeriesScorePictures} draws. */
export interface ScoredSeries {
  series: TimeSeries;
  /** The scored points: `from .. to-1`. */
  from: number;
  to: number;
  /** Score of every point of the series (NaN where unscored). */
  pointScores: Float32Array;
  /** The same per point and channel, time-major. */
  channelScores: Float32Array;
  /** 1 for flagged points, per point of the series. */
  flags: Uint8Array;
  threshold?: number;
  title: string;
}

/**
 * Writes `series.png` (the scored signals over time, flagged points marked
 * on the signal that is most off; several signals are each scaled to mean
 * 0 and spread 1 over the part shown so they share an axis) and
 * `scores.png` (each point's anomaly score, the threshold and the flagged
 * points), with the file's dates on the x axis where it has them.
 *
 * @param figures - Writer for the output directory.
 * @param scored - The series, the scored range, the scores, flags and threshold.
 * @returns The files written.
 */
export async function writeSeriesScorePictures(figures: FigureWriter, scored: ScoredSeries): Promise<string[]> {
  const { series, from, to, pointScores, channelScores, flags } = scored;
  const { channels, values, names } = series;
  const { x, xLabel, xTime } = axis(series, from, to);
  const scaled = channels > 1;
  const view = names.map((_, c) => {
    const raw = Float32Array.from({ length: to - from }, (_, i) => values[(from + i) * channels + c]);
    if (!scaled) return raw;
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / raw.length) || 1;
    return raw.map((v) => (v - mean) / sd);
  });
  const flagged = Array.from({ length: to - from }, (_, i) => i).filter((i) => flags[from + i]);
  const worst = (t: number) => {
    let best = 0;
    for (let c = 1; c < channels; c++) if (channelScores[t * channels + c] > channelScores[t * channels + best]) best = c;
    return best;
  };
  const seriesPicture = await figures.lines('series.png', {
    title: `${scored.title}: ${flagged.length} of ${to - from} points flagged`,
    xLabel,
    yLabel: scaled ? 'value (each signal scaled to mean 0, spread 1)' : names[0],
    xTime,
    series: names.map((name, c) => ({ name, x, y: view[c] })),
    marks: { name: 'flagged', x: flagged.map((i) => x[i]), y: flagged.map((i) => view[worst(from + i)][i]) },
  });
  const scoreSeries = [{ name: 'score', x, y: pointScores.subarray(from, to) }];
  if (scored.threshold !== undefined) scoreSeries.push({ name: 'threshold', x: Float64Array.from([x[0], x[x.length - 1]]), y: Float32Array.from([scored.threshold, scored.threshold]) });
  const scoresPicture = await figures.lines('scores.png', {
    title: `${scored.title}: anomaly score of each point (reconstruction error)`,
    xLabel,
    yLabel: 'score',
    xTime,
    series: scoreSeries,
    marks: { name: 'flagged', x: flagged.map((i) => x[i]), y: flagged.map((i) => pointScores[from + i]) },
  });
  return [seriesPicture, scoresPicture];
}
