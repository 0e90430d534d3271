import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  anomalyMetrics,
  ConfigError,
  precisionRecall,
  rocAuc,
  rollingZScores,
  scoreSeriesWindows,
  type AnomalyMetrics,
  type Autoencoder,
  type DetectionCounts,
  type SeriesPreprocessing,
} from '@aekit/core';
import { writeFileAtomic, type AnomalyThreshold } from '@aekit/core/node';
import { loadFigures, skippedPicturesNote } from '../optional-packages.js';
import { csvCell } from '../score-pictures.js';
import { importDataSeries, readSeriesForRun, type SeriesRunRecord } from './series-data.js';
import { writeSeriesScorePictures } from './series-pictures.js';

/** What scoring a series needs to know about the run. */
export interface SeriesScoreInputs {
  runDir: string;
  autoencoder: Autoencoder;
  preprocessing: SeriesPreprocessing;
  /** The threshold saved with the model. */
  threshold?: AnomalyThreshold;
  /** The run's series file and parts, to score its test part when no data is given. */
  run: { data?: string; series?: SeriesRunRecord };
  backend: string;
  /** A series file to score whole; the run's test part when absent. */
  dataPath?: string;
  /** Output directory. */
  outDir: string;
  batchSize?: number;
  log: (line: string) => void;
}

/** What {@link scoreSeries} computed. */
export interface SeriesScoreResult {
  /** Score of each scored point, in time order. */
  scores: Float32Array;
  /** 1 for each scored point above the saved threshold. */
  flags?: Uint8Array;
  /** Against the series' labels, where it has both kinds. */
  metrics?: AnomalyMetrics;
  outDir: string;
  files: string[];
}

/** Flag rate above which `ae score` warns: this many times the share the threshold lets through on normal data. */
const FLAG_RATE_WARNING = 5;

/**
 * `ae score <run> [series.csv]` for a model of series data: reads the file
 * with the saved preprocessing (or the run's own test part), scores every
 * window and every point (its error averaged over the windows that hold
 * it), flags points and windows above the threshold chosen at training,
 * and writes `scores.csv` (one row per point: time, values, score, flag),
 * `windows.csv`, `score-metrics.json`, `series.png` and `scores.png`.
 * With labels it reports ROC AUC, PR AUC and F1 per point, ROC AUC per
 * window, and the rolling z-score's ROC AUC as a baseline. When far more
 * points are flagged than the threshold lets through on normal data, it
 * says so in one line.
 *
 * @param inputs - The run, its model and threshold, and the data to score.
 */
export async function scoreSeries(inputs: SeriesScoreInputs): Promise<SeriesScoreResult> {
  const { autoencoder, preprocessing, threshold, log, outDir } = inputs;
  const file = inputs.dataPath ?? inputs.run.data;
  if (!file) throw new ConfigError('data', 'the run does not say which series it was trained on; give a series file to score');
  const { windows, notes } = await readSeriesForRun(resolve(file), preprocessing, inputs.dataPath ? undefined : inputs.run.series);
  for (const note of notes) log(note);
  const { series } = windows;
  // The first point a window covers (differencing needs context before it).
  const from = windows.starts[0];
  const to = series.length;
  const scored = await scoreSeriesWindows(autoencoder, windows.reshape(autoencoder.inputShape), { batchSize: inputs.batchSize });
  const scores = scored.pointScores.subarray(from, to);
  const flags = threshold ? Uint8Array.from(scored.pointScores, (s, t) => (t >= from && s > threshold.value ? 1 : 0)) : undefined;
  const windowFlags = threshold?.window !== undefined ? Uint8Array.from(scored.windowScores, (s) => (s > threshold.window! ? 1 : 0)) : undefined;

  const labels = series.labels?.subarray(from, to);
  const hasBoth = labels !== undefined && labels.includes(1) && labels.includes(0);
  const metrics = hasBoth ? anomalyMetrics(scores, labels) : undefined;
  const atThreshold: DetectionCounts | undefined = hasBoth && flags ? precisionRecall(flags.subarray(from, to), labels) : undefined;
  const windowLabels = series.labels ? windows.labels(Int32Array.from({ length: windows.size }, (_, i) => i)) : undefined;
  const windowAuc = windowLabels && windowLabels.includes(1) && windowLabels.includes(0) ? rocAuc(scored.windowScores, windowLabels) : undefined;
  const baseline = hasBoth ? rollingZBaseline(series, preprocessing.window, from, labels) : undefined;

  await mkdir(outDir, { recursive: true });
  const { formatTime } = await importDataSeries();
  const timeOf = (t: number) => (series.times ? formatTime(series.times[t], series.timeKind) : String(t));
  const files = [join(outDir, 'scores.csv'), join(outDir, 'windows.csv')];
  const header = [series.times ? (preprocessing.timeColumn ?? 'time') : 'point', ...series.names, 'score', ...(flags ? ['flagged'] : []), ...(series.filled ? ['filled'] : []), ...(labels ? ['label'] : [])];
  const rows = [header.map(csvCell).join(',')];
  for (let t = from; t < to; t++) {
    const cells = [csvCell(timeOf(t)), ...Array.from(series.values.subarray(t * series.channels, (t + 1) * series.channels), String), String(scored.pointScores[t])];
    if (flags) cells.push(String(flags[t]));
    if (series.filled) cells.push(String(series.filled[t]));
    if (labels) cells.push(String(series.labels![t]));
    rows.push(cells.join(','));
  }
  await writeFileAtomic(files[0], rows.join('\n') + '\n');
  const windowRows = [['start', 'end', 'score', ...(windowFlags ? ['flagged'] : []), ...(windowLabels ? ['label'] : [])].join(',')];
  windows.starts.forEach((s, i) => {
    const cells = [csvCell(timeOf(s)), csvCell(timeOf(s + preprocessing.window - 1)), String(scored.windowScores[i])];
    if (windowFlags) cells.push(String(windowFlags[i]));
    if (windowLabels) cells.push(String(windowLabels[i]));
    windowRows.push(cells.join(','));
  });
  await writeFileAtomic(files[1], windowRows.join('\n') + '\n');

  const flaggedPoints = flags ? flags.reduce((a, b) => a + b, 0) : undefined;
  const flaggedWindows = windowFlags?.reduce((a, b) => a + b, 0);
  const points = to - from;
  const expectedRate = threshold ? 1 - threshold.percentile / 100 : undefined;
  const flagRate = flaggedPoints !== undefined ? flaggedPoints / points : undefined;
  // With labels, what the threshold does to normal points is the measure; without, to all of them.
  const normalFlagRate = atThreshold ? atThreshold.falsePositives / (atThreshold.falsePositives + atThreshold.trueNegatives) : flagRate;
  const warnings: string[] = [];
  if (normalFlagRate !== undefined && expectedRate !== undefined && expectedRate > 0 && normalFlagRate > FLAG_RATE_WARNING * expectedRate) {
    warnings.push(
      `${pct(normalFlagRate)} of the ${atThreshold ? 'normal ' : ''}points are flagged, ${(normalFlagRate / expectedRate).toFixed(0)} times the ${pct(expectedRate)} the threshold flags on data like the validation part: ` +
        `the series has changed since training (or the model does not fit it); look at series.png before trusting the flags`,
    );
  }
  const summary = {
    run: inputs.runDir,
    family: autoencoder.family,
    data: file + (inputs.dataPath ? '' : ' (test part)'),
    backend: inputs.backend,
    score: 'squared reconstruction error of each point, averaged over its signals and the windows that hold it, in the model input units (differenced, detrended and scaled as saved)',
    points,
    windows: windows.size,
    ...(series.times ? { from: timeOf(from), to: timeOf(to - 1) } : { from, to: to - 1 }),
    threshold: threshold ?? null,
    ...(flaggedPoints !== undefined ? { flaggedPoints, flagRate, ...(atThreshold ? { normalFlagRate } : {}), expectedFlagRate: expectedRate, flaggedWindows } : {}),
    meanScore: mean(scores),
    ...(metrics ? { metrics: { ...metrics, atThreshold, windowRocAuc: windowAuc, chanceAveragePrecision: metrics.anomalies / metrics.items } } : {}),
    ...(baseline !== undefined ? { baselines: { rollingZScore: { window: preprocessing.window, rocAuc: baseline } } } : {}),
    warnings,
  };
  files.push(join(outDir, 'score-metrics.json'));
  await writeFileAtomic(files.at(-1)!, JSON.stringify(summary, null, 2) + '\n');
  const pictures = await loadFigures();
  const written = await writeSeriesScorePictures(pictures.writerFor(outDir), {
    series,
    from,
    to,
    pointScores: scored.pointScores,
    channelScores: scored.channelScores,
    flags: flags ?? new Uint8Array(series.length),
    threshold: threshold?.value,
    title: `${autoencoder.family} on ${file.split(/[\\/]/).pop()}`,
  });
  files.push(...written);

  log(`scored ${points} points (${windows.size} windows of ${preprocessing.window}) of ${summary.data} with ${inputs.backend}: mean score ${summary.meanScore.toPrecision(4)} (squared reconstruction error of each point, averaged over its signals and windows)`);
  if (threshold && flaggedPoints !== undefined) {
    log(
      `threshold ${threshold.value.toPrecision(4)} (the ${threshold.percentile}th percentile of the scores of ${threshold.chosenOn}): ` +
        `${flaggedPoints} of ${points} points flagged (${pct(flagRate!)}${atThreshold ? `; ${pct(normalFlagRate!)} of the normal ones` : ''}), ${flaggedWindows} of ${windows.size} windows`,
    );
  } else log('the model has no saved threshold (trained before thresholds were saved), so no point is flagged');
  if (metrics) {
    const f = metrics.bestF1;
    log(
      `${metrics.anomalies} anomalous points of ${metrics.items}: ROC AUC ${metrics.rocAuc.toFixed(4)} (windows ${windowAuc?.toFixed(4) ?? 'n/a'}; rolling z-score baseline ${baseline!.toFixed(4)}), ` +
        `PR AUC ${metrics.averagePrecision.toFixed(4)} (chance ${(metrics.anomalies / metrics.items).toFixed(4)}), best F1 ${f.f1.toFixed(4)} at score >= ${f.threshold.toPrecision(4)}` +
        (atThreshold ? `; at the saved threshold precision ${atThreshold.precision.toFixed(4)}, recall ${atThreshold.recall.toFixed(4)}` : ''),
    );
  }
  for (const warning of warnings) log(`warning: ${warning}`);
  log(`wrote ${files.join(', ')}`);
  const skipped = skippedPicturesNote(pictures);
  if (skipped) log(skipped);
  return { scores, flags: flags?.subarray(from, to), metrics, outDir, files };
}

/** ROC AUC of the rolling z-score (over the `window` points before each point) on the scored points. */
function rollingZBaseline(series: Parameters<typeof rollingZScores>[0], window: number, from: number, labels: Uint8Array): number {
  const z = rollingZScores(series, window).subarray(from);
  // The first points of a series have no history; they rank lowest rather than being dropped.
  return rocAuc(Float32Array.from(z, (v) => (Number.isFinite(v) ? v : -1)), labels);
}

function mean(values: Float32Array): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

function pct(share: number): string {
  return `${(100 * share).toFixed(share < 0.01 ? 2 : 1)}%`;
}
