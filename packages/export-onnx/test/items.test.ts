import { describe, expect, it } from 'vitest';
import { flattenItems, float32Bytes, imageLayoutFor, InvalidInputError, parseFloat32Batch, toRows } from '../src/index.js';

describe('flattenItems', () => {
  it('takes flat and nested items alike', () => {
    const flat = flattenItems([[1, 2, 3, 4, 5, 6]], [2, 3, 1]);
    const nested = flattenItems([[[[1], [2], [3]], [[4], [5], [6]]]], [2, 3, 1]);
    expect(Array.from(flat.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(nested).toEqual(flat);
  });

  it('tells where a value is wrong', () => {
    expect(() => flattenItems([[0, 0], [0, 'a']], [2])).toThrow('inputs[1][1]: expected a finite number, got the string "a"');
    expect(() => flattenItems([[[0], [0, 0]]], [2, 2])).toThrow('inputs[0][0]: expected 2 entries (shape [2]), got 1');
    expect(() => flattenItems('x', [2])).toThrow(InvalidInputError);
    expect(() => flattenItems([[0, 0], [0, 0], [0, 0]], [2], { maxBatch: 2 })).toThrow('inputs: a batch of 3 items is more than the limit of 2');
  });
});

describe('binary batches', () => {
  it('round-trip little-endian float32', () => {
    const values = Float32Array.from([0.5, -2, 3.25, 1e-3]);
    const batch = parseFloat32Batch(float32Bytes(values), 2);
    expect(batch.count).toBe(2);
    expect(batch.data).toEqual(values);
    expect(toRows(batch.data, 2)).toEqual([
      [0.5, -2],
      [3.25, values[3]],
    ]);
  });

  it('reads a body that does not start on a 4-byte boundary', () => {
    const bytes = Buffer.concat([Buffer.from([9]), float32Bytes(Float32Array.from([1.5, 2.5]))]).subarray(1);
    expect(Array.from(parseFloat32Batch(bytes, 2).data)).toEqual([1.5, 2.5]);
  });
});

describe('imageLayoutFor', () => {
  it('draws image shapes, sequences of rows and flat vectors', () => {
    expect(imageLayoutFor([28, 28, 1])).toEqual({ height: 28, width: 28, channels: 1 });
    expect(imageLayoutFor([4, 6, 3])).toEqual({ height: 4, width: 6, channels: 3 });
    expect(imageLayoutFor([28, 28])).toEqual({ height: 28, width: 28, channels: 1 });
    expect(imageLayoutFor([784], [28, 28, 1])).toEqual({ height: 28, width: 28, channels: 1 });
    expect(imageLayoutFor([64])).toEqual({ height: 8, width: 8, channels: 1 });
    expect(imageLayoutFor([32])).toBeUndefined();
    expect(imageLayoutFor([4, 4, 8])).toBeUndefined();
  });
});
