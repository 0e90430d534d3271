import { describe, expect, it } from 'vitest';
import { tf, unitFloatsFromBytes } from '@aekit/core';
import { UNIT_FLOATS_FROM_BYTES, backendHasKernel, unitFloatsInto } from '@aekit/core/kernels';
import { heapKernelsForTests, tensor, values } from '../../../test/support/heap.js';
import { unitFloatsInPlaceHeap } from './heap.js';

const kernels = heapKernelsForTests();

/** `n` seeded bytes, every value 0..255 among the first 256. */
function someBytes(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i < 256 ? i : (i * 2654435761) >>> 24));
}

/** The JavaScript path's floats: what every kernel must give, bit for bit. */
function inJavaScript(bytes: Uint8Array, rows: Int32Array, rowLength: number): Float32Array {
  return unitFloatsInto({ bytes, rows, rowLength, shape: [rows.length, rowLength] }, new Float32Array(rows.length * rowLength));
}

describe('AekitUnitFloatsFromBytes on wasm', () => {
  it('is registered on wasm', () => {
    expect(backendHasKernel(UNIT_FLOATS_FROM_BYTES)).toBe(true);
  });

  // Row lengths around the SIMD block of 16 (and MNIST's 784), rows repeated and out of order.
  for (const rowLength of [1, 15, 16, 17, 37, 784]) {
    it(`gives the JavaScript path's floats bit for bit for rows of ${rowLength}`, () => {
      const bytes = someBytes(Math.max(300, 23 * rowLength));
      const stored = Math.floor(bytes.length / rowLength);
      const rows = Int32Array.from({ length: 19 }, (_, i) => (i * 7 + 3) % stored);
      rows[5] = rows[4]!;
      const before = tf.memory().numTensors;
      const t = unitFloatsFromBytes(bytes, rows, rowLength, [rows.length, rowLength]);
      expect(t.dtype).toBe('float32');
      expect(values(t)).toEqual(inJavaScript(bytes, rows, rowLength));
      t.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('converts every byte value in place on the heap, tail included', () => {
    const n = 256 + 7;
    const bytes = someBytes(n);
    // Stage the bytes in the last quarter of the region, as the kernel does.
    const staged = new Float32Array(n);
    new Uint8Array(staged.buffer).set(bytes, 3 * n);
    const out = tensor(staged);
    kernels.run(unitFloatsInPlaceHeap, [{ tensor: out }], [n]);
    expect(values(out)).toEqual(Float32Array.from(bytes, (b) => b / 255));
    out.dispose();
  });

  it('refuses a row index outside the bytes in one line naming it, and frees its output', () => {
    const before = tf.memory().numTensors;
    const run = (rows: number[]) => () =>
      tf.engine().runKernel(UNIT_FLOATS_FROM_BYTES, {}, { bytes: someBytes(64), rows: Int32Array.from(rows), rowLength: 16, shape: [rows.length, 16] } as unknown as tf.NamedAttrMap);
    expect(run([0, 4])).toThrow(/^row index 4 is outside 0\.\.3 \(rows of 16 bytes in 64\)$/);
    expect(run([-2])).toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives an empty batch, through the function and the kernel itself', () => {
    const viaFunction = unitFloatsFromBytes(someBytes(64), new Int32Array(0), 16, [0, 4, 4]);
    const viaKernel = tf.engine().runKernel(UNIT_FLOATS_FROM_BYTES, {}, { bytes: someBytes(64), rows: new Int32Array(0), rowLength: 16, shape: [0, 16] } as unknown as tf.NamedAttrMap) as tf.Tensor;
    expect([viaFunction.shape, viaKernel.shape]).toEqual([[0, 4, 4], [0, 16]]);
    expect([viaFunction.size, values(viaKernel).length]).toEqual([0, 0]);
    tf.dispose([viaFunction, viaKernel]);
  });
});
