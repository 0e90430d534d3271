import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng, renderImageRows } from '../src/index.js';

/** A 4x3 RGB picture: red on the left half, blue on the right. */
function halves(): Float32Array {
  const values = new Float32Array(4 * 3 * 3);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) values[(y * 4 + x) * 3 + (x < 2 ? 0 : 2)] = 1;
  return values;
}

describe('colour pictures', () => {
  it('encodes RGB values as a colour PNG, channels last', () => {
    const png = PNG.sync.read(encodePng(halves(), 3, 4, 3));
    expect([png.width, png.height]).toEqual([4, 3]);
    expect(Array.from(png.data.subarray(0, 4))).toEqual([255, 0, 0, 255]);
    expect(Array.from(png.data.subarray(12, 16))).toEqual([0, 0, 255, 255]);
    expect(() => encodePng(new Float32Array(12), 3, 4, 3)).toThrow('values: expected 36 values for 3x4x3, got 12');
  });

  it('draws colour rows in colour and checks their size', () => {
    const png = PNG.sync.read(renderImageRows([{ label: '', images: [halves()], height: 3, width: 4, channels: 3 }], { scale: 10 }));
    let red = 0;
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i] > 200 && png.data[i + 2] < 50) red++;
      if (png.data[i + 2] > 200 && png.data[i] < 50) blue++;
    }
    expect(red).toBeGreaterThan(400);
    expect(blue).toBeGreaterThan(400);
    expect(() => renderImageRows([{ label: 'x', images: [new Float32Array(12)], height: 3, width: 4, channels: 3 }])).toThrow(
      'rows.0.images.0: has 12 values, expected 3x4x3',
    );
  });
});
