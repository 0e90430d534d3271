import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit, registry, scoreSeriesWindows, useBackend, type Autoencoder } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { allWindows, loadSeriesDataset, readSeries, type SeriesDataset } from '@aekit/data-series';
import { plugin as sequences } from '@aekit/models-seq';
// Here rather than in export-onnx's tests: models-seq dev-depends on export-onnx (its fused-LSTM parity test), so export-onnx cannot dev-depend on models-seq.
import { exportRun, inferFiles, OnnxModel } from '@aekit/export-onnx';

let dir: string;
let csv: string;
let data: SeriesDataset;
let autoencoder: Autoencoder;

/** A trending daily series with a weekly cycle and a gap of empty cells. */
function series(days: number): string {
  const lines = ['day,visits'];
  for (let t = 0; t < days; t++) {
    const value = t === 50 || t === 51 ? '' : (100 + 2 * t + 15 * Math.sin((2 * Math.PI * t) / 7) + ((t * 7919) % 13) / 4).toFixed(2);
    lines.push(`${new Date(Date.UTC(2022, 0, 1 + t)).toISOString().slice(0, 10)},${value}`);
  }
  return lines.join('\n') + '\n';
}

beforeAll(async () => {
  await useBackend('wasm');
  registry.use(sequences);
  dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-series-'));
  csv = join(dir, 'visits.csv');
  await writeFile(csv, series(200));
  data = await loadSeriesDataset(csv, { window: 10, difference: 1 });
  autoencoder = registry.create('lstm', { latentDim: 4, units: 8 }, { seed: 3, dataShape: data.train.exampleShape });
  await fit(autoencoder, data.train, { epochs: 1, batchSize: 32 });
  await saveAutoencoder(autoencoder, join(dir, 'model'), data.train.exampleShape, { preprocessing: data.preprocessing });
}, 120_000);

afterAll(async () => {
  autoencoder.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('ONNX export of a model trained on a series', () => {
  it('keeps the series preprocessing in the metadata and gives every window the score tfjs gives it, through ae infer on the raw file', async () => {
    const [file] = await exportRun(dir, {});
    expect(file.maxAbsDiff).toBeLessThan(1e-4);
    const model = await OnnxModel.load(join(dir, 'model.onnx'));
    expect(model.metadata.preprocessing).toEqual(data.preprocessing);
    await model.close();

    // The cutting into windows, differencing, detrending and scaling happen before the graph, in the series reader.
    const inferred = await inferFiles(join(dir, 'model.onnx'), [csv]);
    const { series: raw } = await readSeries(csv, { saved: data.preprocessing });
    const windows = allWindows(raw, data.preprocessing);
    const tfjs = await scoreSeriesWindows(autoencoder, windows.reshape(autoencoder.inputShape));
    expect(inferred.scores).toHaveLength(200 - 10 - 1 + 1);
    inferred.scores!.forEach((s, i) => expect(Math.abs(s - tfjs.windowScores[i])).toBeLessThan(1e-5 * Math.max(1, tfjs.windowScores[i])));
    expect(inferred.sources.slice(0, 2)).toEqual(['2022-01-02', '2022-01-03']);
  });
});
