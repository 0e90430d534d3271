import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFileError, useBackend, type ConfigError } from '@aekit/core';
import { generateSeries, parseSeriesCsv, SeriesNormalizer, slidingWindows, timeSeries, windowStarts } from '../src/index.js';
import { readSeriesCsv } from '../src/node.js';

beforeAll(async () => {
  await useBackend('wasm');
});

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('generateSeries', () => {
  it('gives the same series for a seed and another one for another seed', () => {
    const options = { length: 800, channels: 3, anomalies: { count: 6, from: 400 } };
    const a = generateSeries({ ...options, seed: 7 });
    const b = generateSeries({ ...options, seed: 7 });
    const c = generateSeries({ ...options, seed: 8 });
    expect(b.values).toEqual(a.values);
    expect(b.labels).toEqual(a.labels);
    expect(b.anomalies).toEqual(a.anomalies);
    expect(c.values).not.toEqual(a.values);
    expect(c.anomalies).not.toEqual(a.anomalies);
    expect(a.values.length).toBe(800 * 3);
    expect(a.names).toEqual(['signal0', 'signal1', 'signal2']);
  });

  it('labels exactly the points where it injected anomalies', () => {
    const clean = generateSeries({ length: 1200, channels: 2, seed: 3 });
    const dirty = generateSeries({ length: 1200, channels: 2, seed: 3, anomalies: { count: 9, from: 500, to: 1150 } });
    expect(clean.labels.every((l) => l === 0)).toBe(true);
    expect(new Set(dirty.anomalies.map((a) => a.kind))).toEqual(new Set(['spike', 'level-shift', 'frozen']));
    const labelled = new Uint8Array(1200);
    for (const a of dirty.anomalies) {
      expect(a.start).toBeGreaterThanOrEqual(500);
      expect(a.end).toBeLessThanOrEqual(1150);
      labelled.fill(1, a.start, a.end);
      const at = (t: number) => t * 2 + a.channel;
      const diffs = Array.from({ length: a.end - a.start }, (_, i) => dirty.values[at(a.start + i)] - clean.values[at(a.start + i)]);
      if (a.kind === 'spike') expect(Math.abs(diffs[0])).toBeGreaterThan(1);
      if (a.kind === 'level-shift') diffs.forEach((d) => expect(d).toBeCloseTo(diffs[0], 4));
      if (a.kind === 'frozen') {
        for (let t = a.start; t < a.end; t++) expect(dirty.values[at(t)]).toBe(dirty.values[at(a.start)]);
      }
    }
    expect(dirty.labels).toEqual(labelled);
    // Outside the anomalies the series is the clean one, value for value.
    dirty.values.forEach((v, i) => {
      if (!labelled[Math.floor(i / 2)]) expect(v).toBe(clean.values[i]);
    });
  });

  it('refuses options that cannot work, naming them', () => {
    expect((thrown(() => generateSeries({ length: 10 })) as ConfigError).field).toBe('length');
    expect((thrown(() => generateSeries({ anomalies: { kinds: ['spike', 'wobble' as 'spike'] } })) as ConfigError).field).toBe(
      'anomalies.kinds.1',
    );
    expect(thrown(() => generateSeries({ length: 200, anomalies: { count: 20 } })).message).toBe(
      'anomalies.count: 20 anomalies do not fit between points 0 and 200',
    );
    expect((thrown(() => generateSeries({ length: 200, anomalies: { to: 300 } })) as ConfigError).field).toBe('anomalies.to');
  });
});

describe('windows and normalisation', () => {
  it('covers every point, the last window aligned with the end', () => {
    expect(Array.from(windowStarts({ window: 4, stride: 3, to: 12 }))).toEqual([0, 3, 6, 8]);
    expect(Array.from(windowStarts({ window: 4, stride: 2, from: 2, to: 10 }))).toEqual([2, 4, 6]);
    expect((thrown(() => windowStarts({ window: 20, to: 10 })) as ConfigError).field).toBe('window');
  });

  it('cuts windows of [window, channels] with anomaly labels', () => {
    const values = Float32Array.from({ length: 20 }, (_, i) => i); // 10 points of 2 channels
    const labels = Uint8Array.from({ length: 10 }, (_, t) => (t === 6 ? 1 : 0));
    const windows = slidingWindows(timeSeries(values, 2, { labels }), { window: 3, stride: 2 });
    expect(Array.from(windows.starts)).toEqual([0, 2, 4, 6, 7]);
    const x = windows.batch([1, 4]);
    expect(x.shape).toEqual([2, 3, 2]);
    expect(Array.from(x.dataSync())).toEqual([4, 5, 6, 7, 8, 9, 14, 15, 16, 17, 18, 19]);
    expect(Array.from(windows.labels([0, 1, 2, 3, 4]))).toEqual([0, 0, 1, 1, 0]);
    expect(Array.from(windows.subset([3]).starts)).toEqual([6]);
    expect(windows.reshape([6]).batch([0]).shape).toEqual([1, 6]);
    x.dispose();
  });

  it('removes a trend fitted on the training part and carries it forward', () => {
    const values = Float32Array.from({ length: 100 }, (_, t) => 3 + 0.5 * t + (t % 2 ? 1 : -1));
    const normalizer = SeriesNormalizer.fit(timeSeries(values, 1), { end: 50 });
    expect(normalizer.slope[0]).toBeCloseTo(0.5, 2);
    const normalized = normalizer.transform(timeSeries(values, 1));
    // ±1 around the line on the training part, and still close to it 50 points later.
    normalized.values.subarray(0, 50).forEach((v) => expect(Math.abs(Math.abs(v) - 1)).toBeLessThan(0.1));
    normalized.values.subarray(50).forEach((v) => expect(Math.abs(Math.abs(v) - 1)).toBeLessThan(0.25));
    const flat = SeriesNormalizer.fit(timeSeries(values, 1), { end: 50, detrend: false });
    expect(flat.slope[0]).toBe(0);
  });
});

describe('series from CSV', () => {
  it('reads signals, labels and skips time stamps', () => {
    const text = '# sensor export\ntime,temp,pressure,label\n2024-01-01,1.5,10,0\n\n2024-01-02,2.5,11,1\n2024-01-03,-3e-1,12,0\n';
    const series = parseSeriesCsv(text, 'data.csv');
    expect(series.names).toEqual(['temp', 'pressure']);
    expect(series.length).toBe(3);
    expect(Array.from(series.values)).toEqual(Array.from(Float32Array.from([1.5, 10, 2.5, 11, -0.3, 12])));
    expect(Array.from(series.labels!)).toEqual([0, 1, 0]);
    const headerless = parseSeriesCsv('1,2\n3,4\n', 'plain.csv');
    expect(headerless.names).toEqual(['x0', 'x1']);
    expect(headerless.labels).toBeUndefined();
  });

  it('names the file, line and column of what is wrong', async () => {
    const message = (text: string) => {
      const error = thrown(() => parseSeriesCsv(text, 'bad.csv'));
      expect(error).toBeInstanceOf(DataFileError);
      return error.message;
    };
    expect(message('a,b\n1,2\n3,x\n')).toBe("bad.csv: line 3, column 'b': expected a number, got 'x'");
    expect(message('a,b\n1,2\n\n3\n')).toBe('bad.csv: line 4: expected 2 fields as in the first row, got 1');
    expect(message('a,label\n1,0\n2,maybe\n')).toBe("bad.csv: line 3, column 'label': expected 0 or 1, got 'maybe'");
    expect(message('a,b\n1,"2\n')).toMatch(/^bad\.csv: line 2: Quote Not Closed/);
    expect(message('time,label\n1,0\n2,1\n')).toBe('bad.csv: has no signal columns, only label or time columns');
    expect(message('a,a\n1,2\n3,4\n')).toBe("bad.csv: line 1: column 'a' appears twice");
    expect(message('a\n1\n')).toBe('bad.csv: has 1 data rows; a series needs at least 2');

    const dir = await mkdtemp(join(tmpdir(), 'aekit-csv-'));
    try {
      await writeFile(join(dir, 'ok.csv'), 'v\n1\n2\n');
      expect((await readSeriesCsv(join(dir, 'ok.csv'))).length).toBe(2);
      await expect(readSeriesCsv(join(dir, 'missing.csv'))).rejects.toThrow(`${join(dir, 'missing.csv')}: no such file`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
