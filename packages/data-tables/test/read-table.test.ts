import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataFileError, range } from '@aekit/core';
import { columnErrors, decodeRow, featureNames, readTable, rowsById, tableReader } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-tables-'));
});

async function file(name: string, text: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** 40 rows: two number columns, a colour, and a 0/1 label. */
function rows(): { temp: number; load: number; colour: string; anomaly: number }[] {
  return Array.from({ length: 40 }, (_, i) => ({ temp: 20 + (i % 7), load: i * 10, colour: ['red', 'green', 'blue'][i % 3], anomaly: i % 10 === 0 ? 1 : 0 }));
}

const csvOf = (r: ReturnType<typeof rows>) => ['temp,load,colour,anomaly', ...r.map((x) => `${x.temp},${x.load},${x.colour},${x.anomaly}`)].join('\n') + '\n';

/** A CSV's description less its delimiter, which other formats have none of. */
function withoutDelimiter<T extends { delimiter?: string }>(preprocessing: T): Omit<T, 'delimiter'> {
  const { delimiter: _delimiter, ...rest } = preprocessing;
  return rest;
}

function meanStd(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)];
}

describe('readTable', () => {
  it('reads a CSV with a header, a label and a categorical column, standardising with training statistics', async () => {
    const data = rows();
    const table = await readTable(await file('records.csv', csvOf(data)), { label: 'anomaly', seed: 3 });
    expect(table.preprocessing.columns).toEqual([
      { name: 'temp', kind: 'numeric' },
      { name: 'load', kind: 'numeric' },
      { name: 'colour', kind: 'categorical', categories: ['blue', 'green', 'red'] },
    ]);
    expect(table.preprocessing.labelClasses).toEqual(['0', '1']);
    expect(featureNames(table.preprocessing.columns)).toEqual(['temp', 'load', 'colour=blue', 'colour=green', 'colour=red']);
    const { train, test } = table;
    expect(train.data.size + test.data.size).toBe(40);
    expect(test.data.size).toBeGreaterThan(2);
    expect(train.data.exampleShape).toEqual([5]);
    // Line 1 is the header, so row i is on line i + 2.
    const trainRows = Array.from(train.lines, (line) => data[line - 2]);
    const [tempMean, tempStd] = meanStd(trainRows.map((r) => r.temp));
    const [loadMean, loadStd] = meanStd(trainRows.map((r) => r.load));
    expect(table.preprocessing.scaler.mean.slice(0, 2)).toEqual([expect.closeTo(tempMean, 9), expect.closeTo(loadMean, 9)]);
    expect(table.preprocessing.scaler.std.slice(0, 2)).toEqual([expect.closeTo(tempStd, 9), expect.closeTo(loadStd, 9)]);
    expect(table.preprocessing.scaler.mean.slice(2)).toEqual([0, 0, 0]);
    // A test row is standardised with the training statistics, one-hot features stay 0/1.
    const row = data[test.lines[0] - 2];
    const x = Array.from(test.data.batch([0]).dataSync());
    expect(x[0]).toBeCloseTo((row.temp - tempMean) / tempStd, 5);
    expect(x[1]).toBeCloseTo((row.load - loadMean) / loadStd, 5);
    expect(x.slice(2)).toEqual(['blue', 'green', 'red'].map((c) => (c === row.colour ? 1 : 0)));
    expect(Array.from(test.data.labels!(range(0, test.data.size)))).toEqual(Array.from(test.lines, (l) => data[l - 2].anomaly));
    // decodeRow undoes the encoding.
    const decoded = decodeRow(table.preprocessing.columns, table.preprocessing.scaler, x);
    expect(decoded[0]).toBeCloseTo(row.temp, 4);
    expect(decoded[1]).toBeCloseTo(row.load, 3);
    expect(decoded[2]).toBe(row.colour);
    expect(columnErrors(table.preprocessing.columns, [1, 2, 0.5, 0.25, 0.25])).toEqual([1, 2, 1]);
  });

  it('reads JSON lines and JSON arrays of the same rows into the same features', async () => {
    const data = rows();
    const csv = await readTable(await file('same.csv', csvOf(data)), { label: 'anomaly' });
    const jsonl = await readTable(await file('same.jsonl', data.map((r) => JSON.stringify(r)).join('\n')), { label: 'anomaly' });
    const json = await readTable(await file('same.json', JSON.stringify(data)), { label: 'anomaly' });
    for (const other of [jsonl, json]) {
      expect(other.preprocessing).toEqual(withoutDelimiter(csv.preprocessing));
      expect(Array.from(other.train.data.batch(range(0, other.train.data.size)).dataSync())).toEqual(Array.from(csv.train.data.batch(range(0, csv.train.data.size)).dataSync()));
    }
  });

  it('reads Parquet, one row group at a time, into the same features as the CSV', async () => {
    const data = rows();
    const csv = await readTable(await file('pq.csv', csvOf(data)), { label: 'anomaly' });
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'temp', data: data.map((r) => r.temp), type: 'DOUBLE' },
        { name: 'load', data: data.map((r) => BigInt(r.load)), type: 'INT64' },
        { name: 'colour', data: data.map((r) => r.colour), type: 'STRING' },
        { name: 'anomaly', data: data.map((r) => r.anomaly), type: 'INT32' },
      ],
      rowGroupSize: 16,
    });
    const parquet = await readTable(await file('rows.parquet', new Uint8Array(bytes)), { label: 'anomaly' });
    expect(parquet.preprocessing).toEqual(withoutDelimiter(csv.preprocessing));
    expect(Array.from(parquet.test.data.batch(range(0, parquet.test.data.size)).dataSync())).toEqual(Array.from(csv.test.data.batch(range(0, csv.test.data.size)).dataSync()));
    // Rows are numbered from 1 (a CSV's line 2 is its first row).
    expect(Array.from(parquet.test.lines, (l) => l + 1)).toEqual(Array.from(csv.test.lines));
    await expect(readTable(await file('broken.parquet', 'not parquet at all'))).rejects.toThrow(/broken.parquet: is not a readable Parquet file/);
  });

  it('keeps the split and applies a saved preprocessing instead of fitting a new one', async () => {
    const first = await readTable(await file('fit.csv', csvOf(rows())), { label: 'anomaly', seed: 1 });
    const again = await readTable(await file('fit.csv', csvOf(rows())), { label: 'anomaly', seed: 1 });
    expect(Array.from(again.test.lines)).toEqual(Array.from(first.test.lines));
    // Other rows (shifted temperatures, a colour never seen): the saved statistics and categories are used.
    const shifted = rows().map((r) => ({ ...r, temp: r.temp + 100, colour: r.colour === 'red' ? 'purple' : r.colour }));
    const scored = await readTable(await file('other.csv', csvOf(shifted)), { preprocessing: first.preprocessing, testFraction: 1 });
    expect(scored.preprocessing.scaler).toEqual(first.preprocessing.scaler);
    expect(scored.test.data.size).toBe(40);
    expect(scored.preprocessing.label).toBe('anomaly');
    const x = scored.test.data.batch([0]).dataSync();
    expect(x[0]).toBeGreaterThan(20);
    // Row 0 is purple, no known colour: all its one-hot features are 0.
    expect(Array.from(x.slice(2))).toEqual([0, 0, 0]);
  });

  it('names the file and line of a row with the wrong column count or a non-number, and --skip-bad counts them', async () => {
    const text = csvOf(rows()).split('\n');
    text[3] = '21,30'; // line 4: two values
    text[5] = '22,abc,red,0'; // line 6: not a number
    const bad = await file('bad.csv', text.join('\n'));
    const short = await readTable(bad, { label: 'anomaly' }).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(DataFileError);
    expect((short as Error).message).toBe(`${bad}: line 4: expected 4 values as in the header, got 2 (pass --skip-bad to skip such rows)`);
    text[3] = '21,30,red,0';
    await writeFile(bad, text.join('\n'));
    const word = await readTable(bad, { label: 'anomaly' }).catch((e: unknown) => e);
    expect((word as Error).message).toBe(`${bad}: line 6: column 'load' is "abc", not a number (pass --skip-bad to skip such rows)`);
    text[3] = '21,30';
    await writeFile(bad, text.join('\n'));
    const skipped = await readTable(bad, { label: 'anomaly', skipBad: true });
    expect(skipped.skipped).toBe(2);
    expect(skipped.firstSkipped).toMatch(/^line 4: expected 4 values/);
    expect(skipped.train.data.size + skipped.test.data.size).toBe(38);
    expect([...skipped.train.lines, ...skipped.test.lines]).not.toContain(6);
  });

  it('names the bad row nearest the top when a word in a number column (seen once the columns are decided) comes before a short row', async () => {
    const text = csvOf(rows()).split('\n');
    text[2] = '22,abc,red,0'; // line 3: not a number
    text[3] = '21,30'; // line 4: two values
    const bad = await file('order.csv', text.join('\n'));
    const error = await readTable(bad, { label: 'anomaly' }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(`${bad}: line 3: column 'load' is "abc", not a number (pass --skip-bad to skip such rows)`);
    const skipped = await readTable(bad, { label: 'anomaly', skipBad: true });
    expect(skipped.skipped).toBe(2);
    expect(skipped.firstSkipped).toMatch(/^line 3: column 'load' is "abc"/);
  });

  it('names the file and line of a value beyond float32 (1e39), which would train as Infinity', async () => {
    const text = csvOf(rows()).split('\n');
    text[7] = '22,1e39,red,0'; // line 8
    const huge = await file('huge.csv', text.join('\n'));
    const error = await readTable(huge, { label: 'anomaly' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toBe(`${huge}: line 8: column 'load' is 1e+39, beyond the float32 range of ±3.4e38 the model computes in (pass --skip-bad to skip such rows)`);
    const json = await file('huge.jsonl', rows().map((r, i) => JSON.stringify({ ...r, load: i === 2 ? -1e300 : r.load })).join('\n'));
    await expect(readTable(json, { label: 'anomaly' })).rejects.toThrow(`${json}: line 3: column 'load' is -1e+300, beyond the float32 range`);
    const skipped = await readTable(huge, { label: 'anomaly', skipBad: true });
    expect(skipped.skipped).toBe(1);
  });

  it('names the line of an unparseable CSV quote or JSON line, and of a JSON object with other keys', async () => {
    const quote = await file('quote.csv', 'a,b\n1,2\n3,"4\n');
    await expect(readTable(quote)).rejects.toThrow(new RegExp(`^${quote}: line \\d+: .*[Qq]uote`));
    const jsonl = await file('broken.jsonl', '{"a":1,"b":2}\n{"a":3,"b":\n{"a":5,"b":6}\n{"a":7}\n');
    await expect(readTable(jsonl)).rejects.toThrow(`${jsonl}: line 2: is not JSON`);
    const skipped = await readTable(jsonl, { skipBad: true, testFraction: 0 });
    expect(skipped.skipped).toBe(2);
    expect(Array.from(skipped.train.lines)).toEqual([1, 3]);
    await writeFile(jsonl, '{"a":1,"b":2}\n{"a":7,"c":1}\n');
    await expect(readTable(jsonl)).rejects.toThrow(`${jsonl}: line 2: expected the 2 columns of the first row; missing 'b'; unknown 'c'`);
  });

  it('counts records, not lines, in what it says about a JSON array (its rows may span many lines, or share one)', async () => {
    const records = rows().map((r, i) => (i === 5 ? { ...r, load: 'heavy' } : r));
    const pretty = await file('pretty.json', JSON.stringify(records, null, 2));
    await expect(readTable(pretty)).rejects.toThrow(`${pretty}: record 6: column 'load' is "heavy", not a number (pass --skip-bad to skip such rows)`);
    const skipped = await readTable(pretty, { skipBad: true, testFraction: 1 });
    expect(skipped.firstSkipped).toBe(`record 6: column 'load' is "heavy", not a number`);
    expect(skipped.unit).toBe('record');
    const towns = await file('towns.json', JSON.stringify(Array.from({ length: 160 }, (_, i) => ({ town: `town${i % 80}`, x: i }))));
    await expect(readTable(towns, { testFraction: 0 })).rejects.toThrow(`column 'town' is text with more than 50 distinct values (e.g. "town0" on record 1)`);
    const scored = await tableReader.read([pretty], skipped.preprocessing, { skipBad: true });
    expect(scored.idHeader).toBe('record');
    expect(scored.ids.slice(0, 2)).toEqual(['record 1', 'record 2']);
    // JSON lines and CSV keep their lines.
    const lines = await readTable(await file('lines.jsonl', records.map((r) => JSON.stringify(r)).join('\n')), { skipBad: true });
    expect([lines.unit, lines.firstSkipped]).toEqual(['line', `line 6: column 'load' is "heavy", not a number`]);
  });

  it('drops an ID-like column, refuses a text column with too many repeated categories naming it, and a label column that is not there', async () => {
    const ids = await file('ids.csv', ['id,x', ...Array.from({ length: 80 }, (_, i) => `user${i},${i}`)].join('\n'));
    const dropped = await readTable(ids, { testFraction: 0 });
    expect(dropped.preprocessing.columns.map((c) => c.name)).toEqual(['x']);
    expect(dropped.notes).toContain(`left out column 'id' of ${ids}: it is ID-like: every value is a different text (e.g. "user0")`);
    // Past the cells counted, the note says its figures are of the first ones.
    const many = await file('many-ids.csv', ['id,x', ...Array.from({ length: 10_050 }, (_, i) => `user${i},${i % 7}`)].join('\n'));
    expect((await readTable(many, { testFraction: 0 })).notes).toContain(`left out column 'id' of ${many}: it is ID-like: each of the first 10000 values is a different text (e.g. "user0")`);
    const cities = await file('cities.csv', ['city,x', ...Array.from({ length: 160 }, (_, i) => `town${i % 80},${i}`)].join('\n'));
    await expect(readTable(cities, { testFraction: 0 })).rejects.toThrow(`${cities}: column 'city' is text with more than 50 distinct values (e.g. "town0" on line 2); leave it out with --drop 'city'`);
    // --max-categories allows more: 80 towns, one feature each.
    const allowed = await readTable(cities, { testFraction: 0, maxCategories: 80 });
    expect(allowed.preprocessing.columns[0]).toMatchObject({ name: 'city', kind: 'categorical' });
    expect((allowed.preprocessing.columns[0] as { categories: string[] }).categories).toHaveLength(80);
    // Every such column in one line, so that one run says all a user must drop.
    const both = await file('both.csv', ['city,x,street', ...Array.from({ length: 160 }, (_, i) => `town${i % 80},${i},road${i % 70}`)].join('\n'));
    await expect(readTable(both, { testFraction: 0 })).rejects.toThrow(
      `${both}: columns 'city' (e.g. "town0" on line 2) and 'street' (e.g. "road0" on line 2) are text with more than 50 distinct values each; leave them out with --drop 'city,street'`,
    );
    // Names and addresses repeat now and then: a column whose values are mostly seen once is ID-like all the same,
    // judged over every row (a small table's training rows alone hold fewer values), and named in the note.
    const people = Array.from({ length: 48 }, (_, i) => ({ surname: `name${i % 42}`, street: `${i % 43} Elm St.`, ward: `ward${i % 4}`, age: 20 + (i % 30) }));
    const crowd = await file('crowd.csv', ['surname,street,ward,age', ...people.map((p) => `${p.surname},${p.street},${p.ward},${p.age}`)].join('\n'));
    const read = await readTable(crowd, { seed: 3 });
    expect(read.preprocessing.columns.map((c) => c.name)).toEqual(['ward', 'age']);
    expect(read.notes).toContain(`left out column 'surname' of ${crowd}: it is ID-like: 42 different values in 48 cells, 36 of them seen only once (e.g. "name0")`);
    expect(read.notes).toContain(`left out column 'street' of ${crowd}: it is ID-like: 43 different values in 48 cells, 38 of them seen only once (e.g. "0 Elm St.")`);
    // A category with a few values seen once stays a category.
    const wards = await file('wards.csv', ['ward,age', ...people.map((p, i) => `${i < 10 ? `lone${i}` : p.ward},${p.age}`)].join('\n'));
    expect((await readTable(wards, { seed: 3 })).preprocessing.columns.map((c) => c.kind)).toEqual(['categorical', 'numeric']);
    const fine = await readTable(ids, { testFraction: 0, maxCategories: 100, categorical: ['id'] });
    expect(fine.preprocessing.scaler.mean).toHaveLength(81);
    const missing = await readTable(ids, { label: 'kind' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect((missing as Error).message).toBe(`label: ${ids} has no column 'kind'; its columns are id, x`);
  });

  it('names an empty file, a missing file and a file with a header only', async () => {
    await expect(readTable(await file('empty.csv', ''))).rejects.toThrow(/empty.csv: is empty/);
    await expect(readTable(join(dir, 'nope.csv'))).rejects.toThrow(/nope.csv: no such file/);
    await expect(readTable(await file('header.csv', 'a,b\n'))).rejects.toThrow(/header.csv: has a header but no data rows/);
  });

  it('streams a larger file into compact float arrays', async () => {
    const n = 20000;
    const lines = ['a,b,c'];
    for (let i = 0; i < n; i++) lines.push(`${i % 13},${(i * 7) % 101},${i % 2 ? 'x' : 'y'}`);
    const table = await readTable(await file('large.csv', lines.join('\n')), { seed: 9 });
    expect(table.train.data.size + table.test.data.size).toBe(n);
    // About a fifth is held out.
    expect(Math.abs(table.test.data.size / n - 0.2)).toBeLessThan(0.02);
    expect(table.train.data.exampleShape).toEqual([4]);
  });

  it('reports progress: bytes scanned of the file size, then rows encoded of the rows counted', async () => {
    const n = 3000;
    const lines = ['a,b'];
    for (let i = 0; i < n; i++) lines.push(`${i % 13},${(i * 7) % 101}`);
    const text = lines.join('\n') + '\n';
    const progress: { phase: string; done: number; total: number }[] = [];
    for (const [name, body] of [['progress.csv', text], ['progress.jsonl', lines.slice(1).map((l) => `{"a":${l.split(',')[0]},"b":${l.split(',')[1]}}`).join('\n') + '\n']]) {
      progress.length = 0;
      const path = await file(name, body);
      await readTable(path, { onProgress: (p) => progress.push({ ...p }) });
      const scan = progress.filter((p) => p.phase === 'scan');
      const encode = progress.filter((p) => p.phase === 'encode');
      // Several reports a pass, rising to the whole: the file's bytes, then every row.
      expect(scan.length).toBeGreaterThan(3);
      expect(scan.every((p) => p.total === Buffer.byteLength(body))).toBe(true);
      expect(scan.map((p) => p.done)).toEqual([...scan.map((p) => p.done)].sort((x, y) => x - y));
      expect(scan.at(-1)!.done).toBe(Buffer.byteLength(body));
      expect(scan[1].done).toBeGreaterThan(0);
      expect(scan[1].done).toBeLessThan(Buffer.byteLength(body));
      expect(encode.length).toBeGreaterThan(3);
      expect(encode.at(-1)).toEqual({ phase: 'encode', done: n, total: n });
      expect(progress.indexOf(encode[0])).toBeGreaterThan(progress.indexOf(scan.at(-1)!));
    }
  });
});

describe('rowsById', () => {
  it('gives the rows named by ae score\'s ids as the file wrote them: CSV lines (a quoted field over two lines counts both), JSON records', async () => {
    const csv = await file('ids.csv', 'name,load\nalpha,0.1\n"two\nlines",0.123456789\ngamma,\n');
    const rows = await rowsById(csv, ['line 4', 'line 5', 'line 99']);
    expect(rows.get('line 4')).toEqual({ name: 'two\nlines', load: '0.123456789' });
    expect(rows.get('line 5')).toEqual({ name: 'gamma', load: '' });
    expect(rows.has('line 99')).toBe(false);
    const json = await file('ids.json', JSON.stringify([{ t: 'Jun 12 1998', v: 1 }, { t: 'Jun 13 1998', v: null }]));
    expect(Object.fromEntries(await rowsById(json, ['record 2']))).toEqual({ 'record 2': { t: 'Jun 13 1998', v: null } });
  });
});
