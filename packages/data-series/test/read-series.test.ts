import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AeError, preprocessors, useBackend, type SeriesPreprocessing } from '@aekit/core';
import { formatTime, loadSeriesDataset, parseTime, readSeries, seriesParts } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  await useBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'aekit-series-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AeError);
    return (error as Error).message;
  }
  return 'no error';
}

describe('parseTime', () => {
  it('reads ISO dates as UTC, month names, months and quarters, and nothing ambiguous', () => {
    expect(parseTime('2000-01-31')).toBe(Date.UTC(2000, 0, 31));
    expect(parseTime('2000-01-31T10:30:00+01:00')).toBe(Date.UTC(2000, 0, 31, 9, 30));
    expect(parseTime('Jan 1 2000')).toBe(Date.UTC(2000, 0, 1));
    expect(parseTime('January 15, 2001 10:30')).toBe(Date.UTC(2001, 0, 15, 10, 30));
    expect(parseTime('1-Mar-1999')).toBe(Date.UTC(1999, 2, 1));
    expect(parseTime('2004-07')).toBe(Date.UTC(2004, 6, 1));
    expect(parseTime('2004-Q3')).toBe(Date.UTC(2004, 6, 1));
    expect(parseTime('Feb 30 2000')).toBeUndefined();
    expect(parseTime('01/02/2000')).toBeUndefined();
    expect(parseTime('soon')).toBeUndefined();
    expect(formatTime(Date.UTC(2000, 0, 31), 'date')).toBe('2000-01-31');
    expect(formatTime(Date.UTC(2000, 0, 31, 9, 30), 'date')).toBe('2000-01-31T09:30:00Z');
    expect(formatTime(1958.5, 'number')).toBe('1958.5');
  });
});

describe('readSeries', () => {
  it('reads a dated file oldest first, fills empty cells linearly and leaves text columns out, saying so', async () => {
    const path = await file(
      'dated.csv',
      ['Date,temp,note,pressure', 'Jan 4 2000,4,,40', 'Jan 1 2000,1,a,10', 'Jan 2 2000,,b,NA', 'Jan 3 2000,,c,', 'Jan 5 2000,5,d,50', 'Jan 6 2000,6,e,'].join('\n'),
    );
    const { series, columns, notes, filledCells } = await readSeries(path);
    expect(columns).toEqual({ timeColumn: 'Date', timeKind: 'date', valueColumns: ['temp', 'pressure'] });
    expect(series.names).toEqual(['temp', 'pressure']);
    expect(Array.from(series.times!)).toEqual([1, 2, 3, 4, 5, 6].map((d) => Date.UTC(2000, 0, d)));
    // temp: 1, (2), (3), 4, 5, 6; pressure: 10, (20), (30), 40, 50, (50) — the last filled with the nearest value.
    expect(Array.from(series.values)).toEqual([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 50]);
    expect(Array.from(series.filled!)).toEqual([0, 1, 1, 0, 0, 1]);
    expect(filledCells).toEqual({ temp: 2, pressure: 3 });
    expect(notes).toEqual([
      "left out the column 'note': not numbers (name signal columns with --value-columns)",
      "the rows are not in time order; sorted them by 'Date'",
      "filled 5 empty cells (2 in 'temp', 3 in 'pressure') linearly between the nearest values before and after",
    ]);
  });

  it('finds the time and label columns by name, reads numbers as time and says where steps are uneven', async () => {
    const path = await file('numbered.csv', 'step,value,anomaly\n1,0.5,0\n2,0.7,false\n3,0.2,1\n4,0.4,true\n10,0.1,0\n');
    const { series, columns, notes } = await readSeries(path);
    expect(columns).toEqual({ timeColumn: 'step', timeKind: 'number', valueColumns: ['value'], labelColumn: 'anomaly' });
    expect(Array.from(series.labels!)).toEqual([0, 0, 1, 1, 0]);
    expect(notes).toEqual(['time steps vary: 1 gap longer than 1.5 times the usual step (the first after 4); each row is read as the next step']);
    const chosen = await readSeries(path, { timeColumn: 'value', valueColumns: ['step'], labelColumn: 'anomaly' });
    expect(chosen.columns).toMatchObject({ timeColumn: 'value', valueColumns: ['step'] });
    expect(Array.from(chosen.series.values)).toEqual([10, 3, 4, 1, 2]);
  });

  it('names the file, line and column of what it cannot read', async () => {
    const message = async (name: string, text: string, options = {}) => failure(readSeries(await file(name, text), options));
    const at = (name: string) => join(dir, name);
    expect(await message('dup.csv', 'date,v\n2000-01-01,1\n2000-01-02,2\n2000-01-01,3\n')).toBe(
      `${at('dup.csv')}: lines 2 and 4 have the same time in column 'date' (2000-01-01); a series has one row per time (several series stacked in one file need one file each)`,
    );
    expect(await message('notime.csv', 'date,v\n2000-01-01,1\n,2\n')).toBe(`${at('notime.csv')}: line 3, column 'date': no time`);
    expect(await message('badtime.csv', 'date,v\n2000-01-01,1\nlater,2\n')).toBe(`${at('badtime.csv')}: line 3, column 'date': 'later' is not a date or time`);
    expect(await message('text.csv', 'v,w\n1,2\nx,3\n', { valueColumns: ['v', 'w'] })).toBe(`${at('text.csv')}: line 3, column 'v': expected a number, got 'x'`);
    expect(await message('huge.csv', 'v,w\n1,2\n3,1e39\n', { valueColumns: ['v', 'w'] })).toBe(`${at('huge.csv')}: line 3, column 'w': 1e+39 is beyond the float32 range of ±3.4e38 the model computes in`);
    expect(await message('empty.csv', 'v,w\n,2\nNA,3\n', { valueColumns: ['v', 'w'] })).toBe(`${at('empty.csv')}: column 'v' has no values, only empty cells`);
    expect(await message('label.csv', 'v,label\n1,0\n2,maybe\n')).toBe(`${at('label.csv')}: line 3, column 'label': an anomaly label is 0 or 1 (or true/false), got 'maybe'`);
    expect(await message('cols.csv', 'v,w\n1,2\n3,4\n', { valueColumns: ['v', 'z'] })).toBe(`value-columns: ${at('cols.csv')} has no column 'z'; its columns are v, w`);
    expect(await message('words.csv', 'name,city\na,b\nc,d\n')).toBe(`${at('words.csv')}: has no number columns to read as signals`);
    expect(await message('short.csv', 'v\n1\n')).toBe(`${at('short.csv')}: has 1 data row; a series needs at least 2`);
    expect(await message('missing.csv', 'v\n1\n').then(() => failure(readSeries(at('nope.csv'))))).toBe(`${at('nope.csv')}: no such file`);
  });
});

describe('loadSeriesDataset', () => {
  const trending = Array.from({ length: 200 }, (_, t) => `${2 * t + Math.sin(t / 2)},${t % 7}`);

  it('cuts the series in time and fits the preprocessing on the training part only', async () => {
    const path = await file('trend.csv', `a,b\n${trending.join('\n')}\n`);
    const data = await loadSeriesDataset(path, { window: 10, stride: 3, difference: 1 });
    expect(data.parts).toEqual({ length: 200, trainEnd: 144, validationEnd: 160 });
    expect(seriesParts(200, { window: 10, difference: 1 }, 0.2, 0.1)).toEqual(data.parts);
    expect(data.train.exampleShape).toEqual([10, 2]);
    expect(data.train.starts[0]).toBe(1);
    expect(data.train.starts.every((s) => s + 10 <= 144)).toBe(true);
    expect(Array.from(data.validation!.starts)).toEqual(Array.from({ length: 7 }, (_, i) => 144 + i));
    expect(data.test.starts[0]).toBe(160);
    expect(data.test.starts.at(-1)).toBe(190);
    expect(data.preprocessing).toMatchObject({ kind: 'series', valueColumns: ['a', 'b'], window: 10, stride: 3, difference: 1, detrend: 'window-linear' });
    expect(data.warnings![0]).toBe(`read 200 points of 2 signals (a, b) from ${path}: 144 points to train on, 16 to validate, 40 to test, in time order`);
    const again = await loadSeriesDataset(path, { preprocessing: data.preprocessing, window: 99 });
    expect(again.preprocessing).toEqual(data.preprocessing);
    expect(await failure(loadSeriesDataset(path, { window: 50 }))).toBe(
      `window: a window of 50 points does not fit the validation part of 16 points of a series of 200; use a shorter --window`,
    );
  });

  it('trains on the windows free of labelled anomalies', async () => {
    const rows = trending.map((r, t) => `${r},${t === 50 ? 1 : 0}`);
    const data = await loadSeriesDataset(await file('labelled.csv', `a,b,label\n${rows.join('\n')}\n`), { window: 10 });
    expect(Array.from(data.train.starts).some((s) => s <= 50 && s + 10 > 50)).toBe(false);
    expect(data.train.size).toBe(144 - 10 + 1 - 10);
  });
});

describe('the series reader', () => {
  it('is registered on import and reads every window of a new file as the model saved it', async () => {
    const path = await file('new.csv', 'when,x,extra\n2001-01-01,1,5\n2001-01-02,2,5\n2001-01-03,4,5\n2001-01-04,8,5\n2001-01-05,16,5\n');
    const saved: SeriesPreprocessing = {
      kind: 'series',
      version: 1,
      timeColumn: 'when',
      timeKind: 'date',
      valueColumns: ['x'],
      missing: 'interpolate',
      window: 3,
      stride: 2,
      difference: 1,
      detrend: 'window-mean',
      center: [0],
      scale: [2],
    };
    const items = await preprocessors.read([path], saved);
    expect(items.idHeader).toBe('window start');
    expect(items.ids).toEqual(['2001-01-02', '2001-01-03']);
    const x = items.data.batch([0, 1]);
    // Changes 1, 2, 4 and 2, 4, 8, minus their means, halved.
    expect(Array.from(x.dataSync())).toEqual([-2 / 3, -1 / 6, 5 / 6, -4 / 3, -1 / 3, 5 / 3].map((v) => Math.fround(v)));
    x.dispose();
    const rows = [1, 2, 4, 8, 16].map((x, i) => ({ when: `2001-01-0${i + 1}`, x }));
    const prepared = await preprocessors.prepare(rows, saved);
    expect(Array.from(prepared)).toEqual([-2 / 3, -1 / 6, 5 / 6, -4 / 3, -1 / 3, 5 / 3].map((v) => Math.fround(v)));
    expect(await failure(preprocessors.read([await file('other.csv', 'when,y\n2001-01-01,1\n2001-01-02,2\n2001-01-03,3\n2001-01-04,4\n')], saved))).toMatch(
      /^value-columns: .*other\.csv has no column 'x'; its columns are when, y$/,
    );
  });
});
