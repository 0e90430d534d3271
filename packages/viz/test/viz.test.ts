import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { createFigureWriter, decodeGrayPng, encodeGrayPng, renderImageRows } from '../src/index.js';

const ramp = (h: number, w: number) => Float32Array.from({ length: h * w }, (_, i) => i / (h * w - 1));

describe('PNG encoding', () => {
  it('round-trips grayscale values at 8-bit precision and clips out-of-range values', () => {
    const values = Float32Array.from([0, 0.25, 0.5, 1, -3, 7]);
    const png = encodeGrayPng(values, 2, 3);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const back = decodeGrayPng(png);
    expect([back.height, back.width]).toEqual([2, 3]);
    const expected = [0, 0.25, 0.5, 1, 0, 1];
    back.values.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-6));
  });

  it('refuses a value count that does not match the size', () => {
    expect(() => encodeGrayPng(new Float32Array(5), 2, 3)).toThrow(/^values: expected 6 values for 2x3, got 5/);
  });
});

describe('image rows', () => {
  it('lays out labelled rows with every picture in its cell', () => {
    const png = PNG.sync.read(
      renderImageRows(
        [
          { label: 'original', images: [ramp(28, 28), ramp(28, 28)], height: 28, width: 28 },
          { label: 'code', images: [ramp(8, 4), ramp(8, 4)], height: 8, width: 4 },
        ],
        { scale: 2 },
      ),
    );
    // label column 130 + 2 cells of 56 with gaps of 4; two bands of 56 (+ gaps).
    expect(png.width).toBe(130 + 2 * (56 + 4) + 4);
    expect(png.height).toBe(56 + 4 + 56 + 4 + 4);
    // The first picture's top-left pixel is black (ramp starts at 0), its bottom-right white.
    const at = (x: number, y: number) => png.data[(y * png.width + x) * 4];
    expect(at(134, 4)).toBe(0);
    expect(at(134 + 55, 4 + 55)).toBe(255);
  });

  it('names the offending picture', () => {
    expect(() => renderImageRows([{ label: 'x', images: [ramp(28, 28), ramp(2, 2)], height: 28, width: 28 }])).toThrow(
      /^rows\.0\.images\.1: has 4 values, expected 28x28/,
    );
  });
});

describe('figure writer', () => {
  it('writes line and scatter charts as PNG files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-viz-'));
    const figures = createFigureWriter(join(dir, 'nested'));
    const loss = await figures.lines('loss.png', {
      title: 'loss',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [{ name: 'train', x: [1, 2, 3], y: [0.3, 0.2, 0.1] }],
      marks: { name: 'flagged', x: [2], y: [0.2] },
    });
    const scatter = await figures.scatter('codes.png', { title: 'codes', x: [0, 1, 2], y: [2, 1, 0], category: [0, 1, 1] });
    for (const file of [loss, scatter]) {
      const png = PNG.sync.read(await readFile(file));
      expect(png.width).toBeGreaterThan(400);
      expect(png.height).toBeGreaterThan(200);
    }
    await expect(figures.lines('bad.png', { title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [1, 2], y: [1] }] })).rejects.toThrow(
      /^series\.s: x has 2 values, y has 1/,
    );
  });
});
