import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderHeatmap } from '../src/index.js';

describe('renderHeatmap', () => {
  it('draws each row and column as a visible cell, red above 0 and blue below, and checks the panel sizes', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `row ${i + 1}`);
    const columns = ['temperature', 'load', 'colour=red', 'colour=blue'];
    // Input: +2 in the first two columns, −2 in the last two; reconstruction: all 0 (white).
    const input = Float32Array.from({ length: 40 }, (_, i) => (i % 4 < 2 ? 2 : -2));
    const png = PNG.sync.read(
      await renderHeatmap({ title: 'test rows', rows, columns, panels: [{ name: 'input', values: input }, { name: 'reconstruction', values: new Float32Array(40) }] }),
    );
    // Ten rows of at least 6 px each (drawn at twice the size), beside two panels of four columns.
    expect(png.height).toBeGreaterThan(10 * 12);
    expect(png.width).toBeGreaterThan(2 * 4 * 12);
    let red = 0;
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (r > 150 && b < 120 && g < 120) red++;
      if (b > 150 && r < 120) blue++;
    }
    // Twenty red and twenty blue cells of at least 12x12 pixels each.
    expect(red).toBeGreaterThan(20 * 144);
    expect(blue).toBeGreaterThan(20 * 144);
    await expect(renderHeatmap({ title: '', rows, columns, panels: [{ name: 'input', values: new Float32Array(3) }] })).rejects.toThrow(
      'panels.input: has 3 values, expected 10 rows x 4 columns',
    );
  });
});
