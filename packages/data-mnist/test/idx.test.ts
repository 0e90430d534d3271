import { mkdtemp, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '@aekit/core';
import { defaultMnistDir, IDX_FILES, loadMnist, parseIdx, readIdxFile } from '../src/index.js';

function idx(dims: number[], extra = 0, type = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const body = new Uint8Array(dims.reduce((a, b) => a * b, 1) + extra).map((_, i) => i % 256);
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

describe('parseIdx', () => {
  it('reads the dimensions and the data', () => {
    const parsed = parseIdx(idx([2, 3, 4]), 'a.idx');
    expect(parsed.dims).toEqual([2, 3, 4]);
    expect(parsed.data.length).toBe(24);
    expect(parsed.data[5]).toBe(5);
  });

  it('rejects a wrong magic number, type or rank, naming the file', () => {
    const gz = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
    expect(() => parseIdx(gz, 'train.gz')).toThrow(DataFileError);
    expect(() => parseIdx(gz, 'train.gz')).toThrow(/^train\.gz: bad magic number 0x1f8b0800/);
    expect(() => parseIdx(idx([4], 0, 0x0d), 'f.idx')).toThrow(/bad magic number 0x00000d01/);
    expect(() => parseIdx(idx([4]), 'labels', 3)).toThrow(/^labels: has 1 dimensions, expected 3/);
    expect(() => parseIdx(new Uint8Array(2), 'tiny')).toThrow(/too short/);
  });

  it('rejects truncated and over-long files with the sizes', () => {
    const full = idx([10, 28, 28]);
    expect(() => parseIdx(full.subarray(0, full.length - 1), 'cut')).toThrow(/^cut: is truncated: 7855 bytes, the header \[10,28,28\] needs 7856/);
    expect(() => parseIdx(full.subarray(0, 10), 'cut')).toThrow(/truncated inside its header/);
    expect(() => parseIdx(idx([10, 28, 28], 3), 'long')).toThrow(/longer than its header says/);
  });

  it('names a missing file', async () => {
    await expect(readIdxFile('/nonexistent/train-images-idx3-ubyte')).rejects.toThrow(
      '/nonexistent/train-images-idx3-ubyte: no such file',
    );
  });
});

describe('loadMnist', () => {
  it('loads the full MNIST set with labels', async () => {
    const { train, test } = await loadMnist();
    expect(train.size).toBe(60000);
    expect(test.size).toBe(10000);
    expect(train.exampleShape).toEqual([28, 28, 1]);
    const labels = test.labels!(Int32Array.from({ length: 10000 }, (_, i) => i));
    const counts = new Array(10).fill(0);
    for (const l of labels) counts[l]++;
    expect(counts.every((c) => c > 800 && c < 1200)).toBe(true);
    // The first training digit of MNIST is a 5, the first test digit a 7.
    expect(train.labels!([0])[0]).toBe(5);
    expect(test.labels!([0])[0]).toBe(7);
  });

  it('applies limits and refuses bad ones', async () => {
    const { train, test } = await loadMnist({ trainLimit: 100, testLimit: 20 });
    expect(train.size).toBe(100);
    expect(test.size).toBe(20);
    await expect(loadMnist({ trainLimit: -5 })).rejects.toThrow(/^trainLimit: expected a positive integer, got -5/);
  });

  it('reads any directory of idx files and names a mismatched label file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-idx-'));
    for (const name of Object.values(IDX_FILES)) await copyFile(join(defaultMnistDir(), name), join(dir, name));
    const { train } = await loadMnist({ dir, trainLimit: 5 });
    expect(train.size).toBe(5);
    await writeFile(join(dir, IDX_FILES.trainLabels), idx([59999]));
    await expect(loadMnist({ dir })).rejects.toThrow(/train-labels-idx1-ubyte: has 59999 labels but .*train-images-idx3-ubyte has 60000 images/);
    await expect(loadMnist({ dir: join(dir, 'nope') })).rejects.toThrow(/nope\/.*: no such file/);
  });
});
