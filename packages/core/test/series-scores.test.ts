import { beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createRng,
  fitSeriesPreprocessing,
  normalizeSeriesWindows,
  percentile,
  precisionRecall,
  restoreSeriesWindow,
  rocAuc,
  rollingZScores,
  scoreSeriesWindows,
  SeriesWindows,
  seriesWindowMatrix,
  tf,
  timeSeries,
  useBackend,
  windowStarts,
  type Autoencoder,
  type SeriesPreprocessing,
} from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** ROC AUC by its definition: over all (anomalous, normal) pairs, 1 if ranked right, 1/2 if tied. */
function pairwiseAuc(scores: number[], labels: number[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!labels[i]) return;
    scores.forEach((n, j) => {
      if (labels[j]) return;
      sum += p > n ? 1 : p === n ? 0.5 : 0;
      pairs++;
    });
  });
  return sum / pairs;
}

describe('rocAuc', () => {
  it('gives the known answers, ties counting one half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.5, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBe(0.75);
    expect(rocAuc([1, 1, 2, 2], [0, 1, 0, 1])).toBe(0.5);
  });

  it('agrees with the pairwise definition on scores with many ties', () => {
    const rng = createRng(4);
    for (let trial = 0; trial < 20; trial++) {
      const n = 30 + Math.floor(rng() * 50);
      const labels = Array.from({ length: n }, (_, i) => (i < 3 || rng() < 0.3 ? 1 : 0));
      labels[n - 1] = 0;
      const scores = labels.map((l) => Math.round(rng() * 5 + l * 2) / 2);
      expect(rocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels), 12);
    }
  });

  it('refuses input it cannot rank', () => {
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/needs both anomalous and normal/);
    expect(() => rocAuc([1, NaN], [0, 1])).toThrow(/score 1 is NaN/);
    expect(() => rocAuc([1], [0, 1])).toThrow(/1 scores but 2 labels/);
  });
});

describe('precision, recall and percentile', () => {
  it('count flags against labels', () => {
    const counts = precisionRecall([1, 1, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0]);
    expect(counts).toEqual({
      truePositives: 2,
      falsePositives: 1,
      falseNegatives: 1,
      trueNegatives: 2,
      precision: 2 / 3,
      recall: 2 / 3,
      f1: 2 / 3,
    });
    expect(precisionRecall([0, 0], [1, 0])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('interpolates percentiles between ranks', () => {
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    expect(percentile([4, 1, 3, 2], 100)).toBe(4);
    expect(percentile(Array.from({ length: 101 }, (_, i) => i), 99)).toBe(99);
    expect(percentile([10, 20], 75)).toBe(17.5);
    expect(() => percentile([1], 101)).toThrow(ConfigError);
  });
});

describe('scoreSeriesWindows', () => {
  it('averages each point’s squared error over the windows that cover it', async () => {
    // A stand-in "autoencoder" that reconstructs every window as zeros: the
    // error of a point is then its squared (normalised) value, in every window.
    const zeros = { reconstruct: (x: tf.Tensor) => tf.zerosLike(x) } as unknown as Autoencoder;
    const values = Float32Array.from([1, 0, 2, 2, 0, 0, 3, 1, 0, 4]); // 5 points, 2 channels
    const series = timeSeries(values, 2);
    const asIs = preprocessing({ window: 2, detrend: 'none', channels: 2 });
    const windows = new SeriesWindows(series, asIs, windowStarts({ window: 2, to: 5 }));
    const scores = await scoreSeriesWindows(zeros, windows, { batchSize: 3 });
    expect(Array.from(scores.pointScores)).toEqual([0.5, 4, 0, 5, 8]);
    expect(Array.from(scores.channelScores)).toEqual([1, 0, 4, 4, 0, 0, 9, 1, 0, 16]);
    expect(Array.from(scores.windowScores)).toEqual([9 / 4, 8 / 4, 10 / 4, 26 / 4]);
  });
});

/** A preprocessing with center 0 and scale 1: windows come out as the matrix makes them. */
function preprocessing(options: { window: number; difference?: number; detrend: SeriesPreprocessing['detrend']; channels: number }): SeriesPreprocessing {
  return {
    kind: 'series',
    version: 1,
    valueColumns: Array.from({ length: options.channels }, (_, c) => `x${c}`),
    missing: 'interpolate',
    window: options.window,
    stride: 1,
    difference: options.difference ?? 0,
    detrend: options.detrend,
    center: new Array<number>(options.channels).fill(0),
    scale: new Array<number>(options.channels).fill(1),
  };
}

describe('series windows and their preprocessing', () => {
  const rng = createRng(11);
  const noisyTrend = timeSeries(Float32Array.from({ length: 400 }, (_, i) => 0.05 * i + Math.sin(i / 3) + rng() - 0.5), 2);

  it('cover every point, the last window aligned with the end', () => {
    expect(Array.from(windowStarts({ window: 4, stride: 3, to: 12 }))).toEqual([0, 3, 6, 8]);
    expect(Array.from(windowStarts({ window: 4, stride: 2, from: 2, to: 10 }))).toEqual([2, 4, 6]);
    expect(() => windowStarts({ window: 20, to: 10 })).toThrow(/^window: 20 points do not fit between points 0 and 10$/);
  });

  it('compute every window as the one linear map the ONNX export bakes in', () => {
    for (const detrend of ['none', 'window-mean', 'window-linear'] as const) {
      for (const difference of [0, 1, 3]) {
        const p = preprocessing({ window: 7, difference, detrend, channels: 2 });
        const matrix = seriesWindowMatrix(p);
        const starts = [3, 10, 190];
        const got = normalizeSeriesWindows(noisyTrend, p, starts);
        starts.forEach((s, n) => {
          for (let c = 0; c < 2; c++) {
            for (let i = 0; i < 7; i++) {
              let expected = 0;
              for (let j = 0; j < 7 + difference; j++) expected += matrix[i * (7 + difference) + j] * noisyTrend.values[(s - difference + j) * 2 + c];
              expect(got[n * 14 + i * 2 + c]).toBeCloseTo(expected, 4);
            }
          }
        });
      }
    }
  });

  it('remove a straight line from each window exactly, wherever the line has climbed to', () => {
    const line = timeSeries(Float32Array.from({ length: 100 }, (_, t) => 5 + 2.5 * t), 1);
    const p = preprocessing({ window: 10, detrend: 'window-linear', channels: 1 });
    normalizeSeriesWindows(line, p, [0, 45, 90]).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-3));
    const meanOnly = normalizeSeriesWindows(line, { ...p, detrend: 'window-mean' }, [0, 90]);
    expect(Array.from(meanOnly.subarray(0, 10))).toEqual(Array.from(meanOnly.subarray(10)));
  });

  it('fit the scale on the training part and divide by it; detrend none also centres', () => {
    const fitted = fitSeriesPreprocessing(noisyTrend, { window: 8, detrend: 'none' }, { valueColumns: ['a', 'b'] }, { to: 100 });
    const training = normalizeSeriesWindows(noisyTrend, fitted, windowStarts({ window: 8, to: 100 }));
    for (let c = 0; c < 2; c++) {
      const values = training.filter((_, i) => i % 2 === c);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      expect(mean).toBeCloseTo(0, 3);
      expect(sd).toBeCloseTo(1, 3);
    }
    expect(fitted).toMatchObject({ kind: 'series', window: 8, stride: 1, difference: 0, detrend: 'none', valueColumns: ['a', 'b'] });
    const perWindow = fitSeriesPreprocessing(noisyTrend, { window: 8 }, { valueColumns: ['a', 'b'] }, { to: 100 });
    expect(perWindow.detrend).toBe('window-linear');
    expect(perWindow.center).toEqual([0, 0]);
    expect(perWindow.scale[0]).toBeLessThan(fitted.scale[0]);
  });

  it('restore a perfect reconstruction to the raw values, differenced or not', () => {
    for (const [detrend, difference] of [['window-linear', 0], ['window-mean', 1], ['none', 2]] as const) {
      const p = fitSeriesPreprocessing(noisyTrend, { window: 6, detrend, difference }, { valueColumns: ['a', 'b'] });
      const input = normalizeSeriesWindows(noisyTrend, p, [50]);
      const restored = restoreSeriesWindow(noisyTrend, p, 50, input);
      restored.forEach((v, i) => expect(v).toBeCloseTo(noisyTrend.values[100 + i], 3));
    }
  });

  it('labels a window anomalous when any of its points is', () => {
    const labels = Uint8Array.from({ length: 10 }, (_, t) => (t === 6 ? 1 : 0));
    const series = timeSeries(Float32Array.from({ length: 20 }, (_, i) => i), 2, { labels });
    const windows = new SeriesWindows(series, preprocessing({ window: 3, detrend: 'none', channels: 2 }), windowStarts({ window: 3, stride: 2, to: 10 }));
    expect(Array.from(windows.starts)).toEqual([0, 2, 4, 6, 7]);
    const x = windows.batch([1, 4]);
    expect(x.shape).toEqual([2, 3, 2]);
    expect(Array.from(x.dataSync())).toEqual([4, 5, 6, 7, 8, 9, 14, 15, 16, 17, 18, 19]);
    expect(Array.from(windows.labels([0, 1, 2, 3, 4]))).toEqual([0, 0, 1, 1, 0]);
    expect(Array.from(windows.subset([3]).starts)).toEqual([6]);
    expect(windows.reshape([6]).batch([0]).shape).toEqual([1, 6]);
    x.dispose();
    expect(() => new SeriesWindows(series, preprocessing({ window: 3, difference: 2, detrend: 'none', channels: 2 }), Int32Array.from([1]))).toThrow(
      /^starts\.0: window 1\.\.3 is outside the series \(10 points, 2 of context first\)$/,
    );
  });
});

describe('rollingZScores', () => {
  it('scores each point by its distance from the mean of the points before it, in their spreads', () => {
    const values = Float32Array.from([1, 3, 1, 3, 1, 3, 10]);
    const scores = rollingZScores(timeSeries(values, 1), 4);
    expect(scores[0]).toBeNaN();
    expect(scores[1]).toBeNaN();
    // Before the last point: 1, 3, 1, 3 — mean 2, spread 1, so 10 is 8 spreads off.
    expect(scores[6]).toBeCloseTo(64, 5);
    expect(scores[5]).toBeCloseTo(1, 5);
  });
});
