import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { compress as zstdCompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, preprocessors, range } from '@aekit/core';
import { featureNames, parseDate, readTable, tableReader } from '../src/index.js';

/**
 * Tables as users have them: a semicolon-separated export with an order
 * ID (every value distinct), a date, a machine, two measurements with
 * empty cells (`''` and `NA`), and a named status label.
 */
interface Row {
  id: string;
  date: string;
  machine: string;
  temperature: number | null;
  vibration: number | null;
  status: 'ok' | 'fault';
}

function shopFloor(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `ORD-${(7919 * (i + 13)) % 100_000}`,
    date: new Date(Date.UTC(2023, 0, 1) + i * 86_400_000).toISOString().slice(0, 10),
    machine: ['press', 'lathe', 'mill'][i % 3],
    temperature: i % 11 === 4 ? null : 60 + (i % 9) * 1.5,
    vibration: i % 13 === 6 ? null : 0.2 + (i % 5) * 0.05,
    status: i % 10 === 9 ? 'fault' : 'ok',
  }));
}

const semicolons = (rows: Row[]) =>
  ['order id;date;machine;temperature;vibration;status', ...rows.map((r) => [r.id, r.date, r.machine, r.temperature ?? '', r.vibration ?? 'NA', r.status].join(';'))].join('\n') + '\n';

let dir: string;
const file = async (name: string, body: string | Uint8Array) => {
  const path = join(dir, name);
  await writeFile(path, body);
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-real-tables-'));
});

describe('tables as users have them', () => {
  it("detects the semicolon, drops the ID column and parses the date, each with a line, and skips rows with empty cells unless told to fill them", async () => {
    const rows = shopFloor(120);
    const path = await file('shop.csv', semicolons(rows));
    const table = await readTable(path, { label: 'status', seed: 1 });
    const { preprocessing } = table;
    expect(preprocessing.delimiter).toBe(';');
    expect(preprocessing.columns.map((c) => [c.name, c.kind])).toEqual([
      ['date', 'datetime'],
      ['machine', 'categorical'],
      ['temperature', 'numeric'],
      ['vibration', 'numeric'],
    ]);
    // 120 days span two months and two weeks; no times of day.
    expect(featureNames(preprocessing.columns).slice(0, 5)).toEqual(['date:days', 'date:year-sin', 'date:year-cos', 'date:week-sin', 'date:week-cos']);
    expect(preprocessing.dropped).toEqual([{ name: 'order id', reason: expect.stringMatching(/^is ID-like: every value is a different text \(e\.g\. "ORD-/) }]);
    expect(table.notes).toEqual([
      `read ${path} as ';'-separated`,
      expect.stringMatching(new RegExp(`^left out column 'order id' of ${path}: it is ID-like`)),
      "read column 'date' as dates: 5 features (days, year-sin, year-cos, week-sin, week-cos)",
    ]);
    expect(preprocessing.labelClasses).toEqual(['fault', 'ok']);
    // Rows with an empty temperature or vibration are left out, counted, not an error.
    const empty = rows.filter((r) => r.temperature === null || r.vibration === null).length;
    expect(table.incomplete).toBe(empty);
    expect(table.firstIncomplete).toBe("line 6: column 'temperature' is empty");
    expect(table.train.data.size + table.test.data.size).toBe(120 - empty);
    expect(preprocessing.missing).toBe('skip');
    // Days since the first date of the file, standardised with the training statistics.
    const date = preprocessing.columns[0];
    expect(date.kind === 'datetime' && date.origin).toBe(Date.UTC(2023, 0, 1));
    const first = rows[table.train.lines[0] - 2];
    const x = table.train.data.batch([0]).dataSync();
    expect(x[0] * preprocessing.scaler.std[0] + preprocessing.scaler.mean[0]).toBeCloseTo((Date.parse(first.date) - (date as { origin: number }).origin) / 86_400_000, 3);
  });

  it('fills empty cells with the training mean, median or most frequent value, saved with the preprocessing and applied to new rows', async () => {
    const rows = shopFloor(120);
    const path = await file('shop-fill.csv', semicolons(rows));
    const trainRows = async (impute: 'mean' | 'median' | 'most-frequent') => {
      const table = await readTable(path, { label: 'status', seed: 1, impute });
      return { table, training: Array.from(table.train.lines, (l) => rows[l - 2]) };
    };
    const mean = await trainRows('mean');
    expect(mean.table.incomplete).toBe(0);
    expect(mean.table.train.data.size + mean.table.test.data.size).toBe(120);
    expect(mean.table.preprocessing).toMatchObject({ missing: 'impute', impute: 'mean' });
    // The fill is the mean of the training rows' values (including those of rows that were themselves incomplete elsewhere).
    const temps = mean.training.map((r) => r.temperature).filter((t): t is number => t !== null);
    const fillOf = (name: string) => mean.table.preprocessing.columns.find((c) => c.name === name)!.fill;
    expect(fillOf('temperature')).toBeCloseTo(temps.reduce((a, b) => a + b, 0) / temps.length, 9);
    expect(mean.table.notes.at(-1)).toMatch(/^empty cells are filled with the training rows' mean value \(date: \d{4}-\d\d-\d\dT[\d:.]+Z, temperature: [\d.]+, vibration: [\d.]+\)$/);

    const median = await trainRows('median');
    const sorted = median.training.map((r) => r.vibration).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const fill = median.table.preprocessing.columns.find((c) => c.name === 'vibration')!.fill;
    expect(fill).toBeCloseTo(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 9);

    const mode = await trainRows('most-frequent');
    const machine = mode.table.preprocessing.columns.find((c) => c.name === 'machine')!;
    const counts = new Map<string, number>();
    for (const r of mode.training) counts.set(r.machine, (counts.get(r.machine) ?? 0) + 1);
    expect(machine.fill).toBe([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0]);

    // A new file with empty cells: the saved fills, not the new file's statistics.
    const fresh = await file('fresh.csv', semicolons(shopFloor(12).map((r) => ({ ...r, temperature: null }))));
    const scored = await readTable(fresh, { preprocessing: mean.table.preprocessing, testFraction: 1, standardize: false });
    expect(scored.incomplete).toBe(0);
    const t = featureNames(mean.table.preprocessing.columns).indexOf('temperature');
    expect(scored.test.data.batch([0]).dataSync()[t]).toBeCloseTo(fillOf('temperature') as number, 4);
  });

  it('keeps only --columns, leaves out --drop, honours --delimiter, and trains on the normal rows only with trainWhere', async () => {
    const rows = shopFloor(300);
    const path = await file('shop-cols.csv', semicolons(rows));
    const some = await readTable(path, { label: 'status', columns: ['machine', 'temperature'] });
    expect(some.preprocessing.columns.map((c) => c.name)).toEqual(['machine', 'temperature']);
    const fewer = await readTable(path, { label: 'status', drop: ['date', 'vibration'] });
    expect(fewer.preprocessing.columns.map((c) => c.name)).toEqual(['machine', 'temperature']);
    await expect(readTable(path, { drop: ['speed'] })).rejects.toThrow(new ConfigError('drop', `${path} has no column 'speed'; its columns are order id, date, machine, temperature, vibration, status`));
    // A comma forced on a semicolon file reads one text column per row.
    const wrong = await readTable(path, { delimiter: ',', testFraction: 0 }).catch((e: unknown) => e);
    expect(String(wrong)).toMatch(/no feature columns|ID-like/);

    const normal = await readTable(path, { label: 'status', impute: 'mean', trainWhere: { column: 'status', value: 'ok' }, seed: 2 });
    const label = (l: number) => rows[l - 2].status;
    expect(new Set(Array.from(normal.train.lines, label))).toEqual(new Set(['ok']));
    expect(new Set(Array.from(normal.test.lines, label))).toEqual(new Set(['ok', 'fault']));
    expect(normal.excluded).toBe(rows.filter((r, i) => r.status === 'fault' && !normal.test.lines.includes(i + 2)).length);
    await expect(readTable(path, { label: 'status', trainWhere: { column: 'status', value: 'OK' } })).rejects.toThrow("train-where: no training row of");
  });

  it('reads Parquet files compressed with ZSTD, gzip and brotli into the same features as the CSV', async () => {
    await zstdInit();
    const rows = shopFloor(60).map((r) => ({ ...r, temperature: r.temperature ?? 61, vibration: r.vibration ?? 0.3 }));
    const csv = await readTable(await file('same.csv', semicolons(rows)), { label: 'status', seed: 3 });
    const codecs = {
      ZSTD: (bytes: Uint8Array) => zstdCompress(bytes, 3),
      GZIP: (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes)),
      BROTLI: (bytes: Uint8Array) => new Uint8Array(brotliCompressSync(bytes)),
    };
    for (const [codec, compressor] of Object.entries(codecs)) {
      const bytes = parquetWriteBuffer({
        columnData: [
          { name: 'order id', data: rows.map((r) => r.id), type: 'STRING' },
          { name: 'date', data: rows.map((r) => r.date), type: 'STRING' },
          { name: 'machine', data: rows.map((r) => r.machine), type: 'STRING' },
          { name: 'temperature', data: rows.map((r) => r.temperature), type: 'DOUBLE' },
          { name: 'vibration', data: rows.map((r) => r.vibration), type: 'DOUBLE' },
          { name: 'status', data: rows.map((r) => r.status), type: 'STRING' },
        ],
        codec: codec as 'ZSTD',
        compressors: { [codec]: compressor },
        rowGroupSize: 25,
      });
      const parquet = await readTable(await file(`shop-${codec}.parquet`, new Uint8Array(bytes)), { label: 'status', seed: 3 });
      const { delimiter: _delimiter, ...expected } = csv.preprocessing;
      expect(parquet.preprocessing, codec).toEqual(expected);
      expect(Array.from(parquet.train.data.batch(range(0, parquet.train.data.size)).dataSync()), codec).toEqual(Array.from(csv.train.data.batch(range(0, csv.train.data.size)).dataSync()));
    }
  });

  it('holds out one row of a table too small for the draw to hold out any, so evaluation has a test row', async () => {
    const path = await file('four.csv', 'a,b\n1,2\n2,4\n3,7\n4,8\n');
    const table = await readTable(path, { seed: 0 });
    expect(table.test.data.size).toBeGreaterThanOrEqual(1);
    expect(table.train.data.size + table.test.data.size).toBe(4);
    // The same split again when the saved preprocessing is applied (as ae eval does).
    const again = await readTable(path, { seed: 0, preprocessing: table.preprocessing });
    expect(Array.from(again.test.lines)).toEqual(Array.from(table.test.lines));
  });

  it('prepares rows held in memory exactly as rows read from the file, through the registered reader', async () => {
    const rows = shopFloor(40);
    const path = await file('memory.csv', semicolons(rows));
    const { preprocessing } = await readTable(path, { label: 'status', impute: 'median' });
    const read = await preprocessors.read([path], preprocessing);
    expect(read.ids.slice(0, 2)).toEqual(['line 2', 'line 3']);
    expect(read.classes).toEqual(['fault', 'ok']);
    const objects = rows.map((r) => ({ 'order id': r.id, date: r.date, machine: r.machine, temperature: r.temperature, vibration: r.vibration, status: r.status }));
    const prepared = await tableReader.prepare!(objects, preprocessing);
    const fromFile = read.data.batch(range(0, read.data.size)).dataSync();
    expect(Array.from(prepared).map((v) => Number(v.toFixed(5)))).toEqual(Array.from(fromFile).map((v) => Number(v.toFixed(5))));
    await expect(tableReader.prepare!([{ machine: 'press', date: 'soon' }], preprocessing)).rejects.toThrow(`items[0]: column 'date' is "soon", not a date`);
  });
});

describe('parseDate', () => {
  it('reads ISO dates and times (UTC without a zone) and refuses day-first forms and impossible dates', () => {
    expect(parseDate('2012-01-31')).toBe(Date.UTC(2012, 0, 31));
    expect(parseDate('2012/01/31 10:30')).toBe(Date.UTC(2012, 0, 31, 10, 30));
    expect(parseDate('2012-01-31T10:30:00.250Z')).toBe(Date.UTC(2012, 0, 31, 10, 30, 0, 250));
    expect(parseDate('2012-01-31T10:30:00+02:00')).toBe(Date.UTC(2012, 0, 31, 8, 30));
    expect(parseDate('31/01/2012')).toBeUndefined();
    expect(parseDate('2012-02-31')).toBeUndefined();
    expect(parseDate('2012')).toBeUndefined();
  });

  it('reads dates whose month is named, as exports and US tables write them, and refuses a two-digit year or a word that is no month', () => {
    const day = Date.UTC(2003, 8, 7);
    for (const form of ['Sep 7 2003', 'Sep 07 2003', 'September 7, 2003', 'Sept. 7, 2003', 'Sun Sep 7 2003', '7 Sep 2003', '07-Sep-2003', 'sep 7th 2003']) expect(parseDate(form), form).toBe(day);
    expect(parseDate('Sun, 07 Sep 2003 14:05:30 GMT')).toBe(Date.UTC(2003, 8, 7, 14, 5, 30));
    expect(parseDate('Sep 7 2003 2:05 PM')).toBe(Date.UTC(2003, 8, 7, 14, 5));
    expect(parseDate('Sep 7 2003 12:05 am')).toBe(Date.UTC(2003, 8, 7, 0, 5));
    expect(parseDate('7 Sep 2003 09:00 -0500')).toBe(Date.UTC(2003, 8, 7, 14));
    for (const wrong of ['Sep 31 2003', 'Sep 7 03', 'Room 7 2003', 'Se 7 2003', 'Sep 7 2003 13:00 PM', 'Sep 7 2003 soon']) expect(parseDate(wrong), wrong).toBeUndefined();
  });

  it('turns a column of named-month dates into date features, and leaves out one with two-digit years saying why', async () => {
    const days = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(1987, 0, 1) + i * 40 * 86_400_000));
    const named = (d: Date) => `${d.toUTCString().slice(8, 11)} ${String(d.getUTCDate()).padStart(2, '0')} ${d.getUTCFullYear()}`;
    const records = days.map((d, i) => ({ released: named(d), budget: 1000 + i * 37 }));
    const path = await file('released.json', JSON.stringify(records));
    const table = await readTable(path, { testFraction: 0 });
    const released = table.preprocessing.columns[0];
    expect(released).toMatchObject({ name: 'released', kind: 'datetime', parts: ['days', 'year-sin', 'year-cos'], origin: Date.UTC(1987, 0, 1) });
    expect(table.notes).toContain("read column 'released' as dates: 3 features (days, year-sin, year-cos)");
    // The same dates written as ISO give the same features.
    const iso = await file('released-iso.json', JSON.stringify(days.map((d, i) => ({ released: d.toISOString().slice(0, 10), budget: 1000 + i * 37 }))));
    const features = (t: Awaited<ReturnType<typeof readTable>>) => Array.from(t.train.data.batch(range(0, t.train.data.size)).dataSync());
    expect(features(await readTable(iso, { testFraction: 0 }))).toEqual(features(table));
    const short = await file('short.csv', ['released,budget', ...days.map((d, i) => `${named(d).slice(0, -4)}${String(d.getUTCFullYear()).slice(2)},${i}`)].join('\n'));
    const shortTable = await readTable(short, { testFraction: 0 });
    expect(shortTable.preprocessing.columns.map((c) => c.name)).toEqual(['budget']);
    expect(shortTable.notes[0]).toMatch(/^left out column 'released' of .*short\.csv: it holds dates in a form that is not read \(e\.g\. "Jan 01 87"\)/);
  });

  it('keeps a date column with an impossible date in it, naming that line (or record) as a bad row, as a number column does with a word', async () => {
    const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2014, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
    days[25] = '2014-02-30';
    const csv = await file('bad-day.csv', ['day,rain', ...days.map((d, i) => `${d},${(i % 7) * 0.3}`)].join('\n'));
    await expect(readTable(csv, { testFraction: 0 })).rejects.toThrow(`${csv}: line 27: column 'day' is "2014-02-30", not a date`);
    const skipped = await readTable(csv, { testFraction: 0, skipBad: true });
    expect(skipped.preprocessing.columns[0]).toMatchObject({ name: 'day', kind: 'datetime' });
    expect(skipped.train.data.size).toBe(39);
    const json = await file('bad-day.json', JSON.stringify(days.map((day, i) => ({ day: i === 2 ? '2014-13-45T08:00:00.000Z' : `${day}T08:00:00.000Z`, rain: i }))));
    await expect(readTable(json, { testFraction: 0 })).rejects.toThrow(`${json}: record 3: column 'day' is "2014-13-45T08:00:00.000Z", not a date`);
  });
});
