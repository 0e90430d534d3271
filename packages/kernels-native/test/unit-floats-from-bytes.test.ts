import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, unitFloatsFromBytes, useBackend } from '@aekit/core';
import { unitFloatsInto } from '@aekit/core/kernels';
import { nativeBinding } from '../src/native-state.js';
import { onEveryBackend } from './support.js';

type Convert = (heap: ArrayBuffer, outOffset: number, bytes: Uint8Array, rows: Int32Array, rowLength: number) => void;
const convert = () => nativeBinding().binding!.unitFloatsFromBytes as Convert;

/** `n` bytes, every value 0..255 among the first 256. */
const someBytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i < 256 ? i : (i * 2654435761) >>> 24));

describe('AekitUnitFloatsFromBytes natively', () => {
  afterAll(() => useBackend('cpu'));

  for (const rowLength of [1, 17, 784]) {
    it(`gives the JavaScript path's floats bit for bit on cpu, wasm and native (rows of ${rowLength})`, async () => {
      const bytes = someBytes(Math.max(300, 21 * rowLength));
      const stored = Math.floor(bytes.length / rowLength);
      const rows = Int32Array.from({ length: 13 }, (_, i) => (i * 5 + 2) % stored);
      const expected = unitFloatsInto({ bytes, rows, rowLength, shape: [rows.length, rowLength] }, new Float32Array(rows.length * rowLength));
      const results = await onEveryBackend(() => unitFloatsFromBytes(bytes, rows, rowLength));
      for (const backend of ['cpu', 'wasm', 'native'] as const) expect(results[backend][0], backend).toEqual(expected);
    });
  }

  describe('on the native backend', () => {
    beforeAll(() => useBackend('native'));

    it('refuses a row index outside the bytes in one line naming it, and frees its output', () => {
      const before = tf.memory().numTensors;
      const call = () => unitFloatsFromBytes(someBytes(64), Int32Array.of(0, 4), 16);
      expect(call).toThrow(/^row index 4 is outside 0\.\.3 \(rows of 16 bytes in 64\)$/);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('gives an empty batch', () => {
      const empty = unitFloatsFromBytes(someBytes(64), new Int32Array(0), 16, [0, 4, 4]);
      expect(empty.shape).toEqual([0, 4, 4]);
      expect(empty.dataSync().length).toBe(0);
      empty.dispose();
    });
  });

  it('the addon itself checks every row index, the output region and its arguments', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const out = new Float32Array(memory.buffer);
    out.fill(7);
    const bytes = someBytes(64);
    expect(() => convert()(memory.buffer, 0, bytes, Int32Array.of(1, 4), 16)).toThrow(/^row index 4 is outside 0\.\.3 \(rows of 16 bytes in 64\)$/);
    expect(() => convert()(memory.buffer, 0, bytes, Int32Array.of(-1), 16)).toThrow(/row index -1 is outside/);
    expect(() => convert()(memory.buffer, 65536 - 60, bytes, Int32Array.of(0), 16)).toThrow(/output region lies outside the heap/);
    expect(() => convert()(memory.buffer, 2, bytes, Int32Array.of(0), 16)).toThrow(/output region/);
    expect(() => convert()(memory.buffer, 0, new Uint8ClampedArray(64) as unknown as Uint8Array, Int32Array.of(0), 16)).toThrow(/bytes must be a Uint8Array/);
    expect(() => convert()(memory.buffer, 0, bytes, Uint32Array.of(0) as unknown as Int32Array, 16)).toThrow(/rows must be an Int32Array/);
    expect(() => convert()(new ArrayBuffer(64) as ArrayBuffer, 0, bytes, Int32Array.of(0), -1)).toThrow(/rowLength/);
    // Nothing was written by a refused call.
    expect(out.every((v) => v === 7)).toBe(true);
    convert()(memory.buffer, 64, bytes, Int32Array.of(3, 0), 16);
    expect(Array.from(out.subarray(16, 20))).toEqual([48, 49, 50, 51].map((b) => Math.fround(b / 255)));
    expect(Array.from(out.subarray(32, 34))).toEqual([0, Math.fround(1 / 255)]);
  });
});
