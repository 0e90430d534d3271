import { join } from 'node:path';
import { ConfigError, type CommandIO, type LineFigure, type TrainingCallbacks } from '@aekit/core';
import { prepareOutputFolder, saveAutoencoder, writeFileAtomic } from '@aekit/core/node';
import { readSeriesCsv } from '../series/read-csv.js';
import { generateSeries, type GeneratedSeries } from '../series/generate.js';
import type { TimeSeries } from '../series/time-series.js';
import type { DetectFlags } from './command.js';
import { detectAnomalies, trainPartEnd, type DetectResult } from './detect.js';

/**
 * Runs `ae detect` with validated flags: gets the series, detects, writes
 * the run directory and reports. Node-only (it writes files).
 * @internal
 */
export async function runDetect(flags: DetectFlags, io: CommandIO): Promise<void> {
  const model = {
    ...parseJsonConfig(flags.config),
    ...(flags.latentDim !== undefined && { latentDim: flags.latentDim }),
    ...(flags.units !== undefined && { units: flags.units }),
  };
  const series: TimeSeries | GeneratedSeries = flags.input
    ? await readSeriesCsv(flags.input)
    : generateSeries({
        length: flags.length,
        channels: flags.channels,
        seed: flags.seed,
        anomalies: { count: flags.anomalies, from: trainPartEnd(flags.length, flags.trainFraction) },
      });
  const source = flags.input ? `${flags.input}` : `generated series (seed ${flags.seed})`;
  io.log(`${source}: ${series.length} points, ${series.channels} signals${series.labels ? `, ${count(series.labels)} labelled anomalous points` : ''}`);

  const options = {
    window: flags.window,
    trainFraction: flags.trainFraction,
    percentile: flags.percentile,
    detrend: flags.detrend,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    learningRate: flags.learningRate,
    seed: flags.seed,
    model,
  };
  // Checked before training: an --out that is not ours is refused, not written into.
  await prepareOutputFolder(flags.out, { expected: ['metrics.json', 'scores.csv', 'model'] });
  const result = await withProgress(io, (callbacks) => detectAnomalies(series, options, callbacks));
  try {
    await saveAutoencoder(result.autoencoder, join(flags.out, 'model'), [result.options.window, series.channels]);
    await writeFileAtomic(join(flags.out, 'scores.csv'), scoresCsv(series, result));
    await writeFileAtomic(join(flags.out, 'metrics.json'), `${JSON.stringify(metricsOf(series, result, flags), null, 2)}\n`);
    const figures = io.figures(flags.out);
    await figures.lines('series.png', seriesFigure(series, result));
    await figures.lines('scores.png', scoresFigure(result));
  } finally {
    result.autoencoder.dispose();
  }

  const flagged = count(result.flags);
  io.log(`threshold ${round(result.threshold)} (${result.options.percentile}th percentile of training scores): ${flagged} of ${series.length - result.trainEnd} test points flagged`);
  const evaluation = result.evaluation;
  if (evaluation) {
    const { points, windows } = evaluation;
    io.log(
      `against the labels: ROC AUC ${round(points.rocAuc)} (windows ${round(windows.rocAuc ?? NaN)}), precision ${round(points.precision)}, recall ${round(points.recall)}, F1 ${round(points.f1)}; ` +
        `over all thresholds: PR AUC ${round(points.averagePrecision)}, best F1 ${round(points.bestF1.f1)} at ${round(points.bestF1.threshold)}`,
    );
  }
  io.log(`wrote ${join(flags.out, 'metrics.json')}, scores.csv, series.png, scores.png and model/`);
}

async function withProgress<T>(io: CommandIO, run: (callbacks: TrainingCallbacks[]) => Promise<T>): Promise<T> {
  let bar: ReturnType<CommandIO['progress']> | undefined;
  let epochs = 0;
  const progress: TrainingCallbacks = {
    onTrainBegin(info) {
      epochs = info.epochs;
      bar = io.progress('training', info.epochs * info.batchesPerEpoch);
    },
    onBatchEnd(b) {
      bar?.update(b.epoch * b.batchesPerEpoch + b.batch + 1, { epoch: `${b.epoch + 1}/${epochs}`, loss: round(b.epochLoss) });
    },
  };
  try {
    return await run([progress]);
  } finally {
    bar?.stop();
  }
}

function parseJsonConfig(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('--config', `not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('--config', `expected a JSON object of lstm config fields, got ${text}`);
  }
  return value as Record<string, unknown>;
}

function metricsOf(series: TimeSeries | GeneratedSeries, result: DetectResult, flags: DetectFlags): Record<string, unknown> {
  const { training } = result;
  return {
    command: 'detect',
    source: flags.input
      ? { file: flags.input }
      : { generator: { length: flags.length, channels: flags.channels, seed: flags.seed, anomalies: flags.anomalies } },
    series: { length: series.length, channels: series.channels, names: series.names, trainEnd: result.trainEnd },
    injected: 'anomalies' in series ? series.anomalies : undefined,
    options: result.options,
    model: result.autoencoder.config,
    normalizer: result.normalizer.toJSON(),
    training: {
      epochs: training.history.length,
      seconds: training.seconds,
      samplesPerSecond: training.samplesPerSecond,
      history: training.history.map(({ epoch, loss, seconds }) => ({ epoch, loss, seconds })),
    },
    threshold: result.threshold,
    flagged: count(result.flags),
    evaluation: result.evaluation ?? null,
  };
}

function scoresCsv(series: TimeSeries, result: DetectResult): string {
  const lines = ['t,part,score,flagged' + (series.labels ? ',label' : '')];
  for (let t = 0; t < series.length; t++) {
    const part = t < result.trainEnd ? 'train' : 'test';
    lines.push(`${t},${part},${result.pointScores[t]},${result.flags[t]}${series.labels ? `,${series.labels[t]}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The test part's normalised signals, with flagged points marked on the signal that is most off. */
function seriesFigure(series: TimeSeries, result: DetectResult): LineFigure {
  const { trainEnd, normalized, channelScores } = result;
  const { channels } = series;
  const x = Float32Array.from({ length: series.length - trainEnd }, (_, i) => trainEnd + i);
  const flagged = [...x].filter((t) => result.flags[t]);
  const worstChannel = (t: number) => {
    let worst = 0;
    for (let c = 1; c < channels; c++) if (channelScores[t * channels + c] > channelScores[t * channels + worst]) worst = c;
    return worst;
  };
  return {
    title: `Test part of ${series.names.length === 1 ? 'the series' : `${channels} signals`} (normalised), flagged points marked`,
    xLabel: 'time step',
    yLabel: 'normalised value',
    series: series.names.map((name, c) => ({ name, x, y: Float32Array.from(x, (t) => normalized.values[t * channels + c]) })),
    marks: { name: 'flagged', x: flagged, y: flagged.map((t) => normalized.values[t * channels + worstChannel(t)]) },
  };
}

/** The test part's anomaly scores with the threshold and flagged points. */
function scoresFigure(result: DetectResult): LineFigure {
  const { trainEnd, pointScores, flags, threshold } = result;
  const x = Float32Array.from({ length: pointScores.length - trainEnd }, (_, i) => trainEnd + i);
  const flagged = [...x].filter((t) => flags[t]);
  return {
    title: 'Anomaly score (reconstruction error) of the test part',
    xLabel: 'time step',
    yLabel: 'score',
    series: [
      { name: 'score', x, y: pointScores.subarray(trainEnd) },
      { name: 'threshold', x: [x[0], x[x.length - 1]], y: [threshold, threshold] },
    ],
    marks: { name: 'flagged', x: flagged, y: flagged.map((t) => pointScores[t]) },
  };
}

function count(values: Uint8Array): number {
  return values.reduce((a, b) => a + b, 0);
}

function round(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(3) : String(value);
}
