import { beforeAll, describe, expect, it } from 'vitest';
import { tf, unitFloatsFromBytes, useBackend } from '../src/index.js';
import { UNIT_FLOAT_OF_BYTE, UNIT_FLOATS_FROM_BYTES, backendHasKernel, unitFloatsInto } from '../src/kernel-contracts/index.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Every byte value once, in rows of 16: row r holds r * 16 .. r * 16 + 15. */
const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('unitFloatsFromBytes without a kernel (cpu)', () => {
  it('has no kernel on cpu, so this is the JavaScript path', () => {
    expect(backendHasKernel(UNIT_FLOATS_FROM_BYTES)).toBe(false);
  });

  it('gathers rows in the given order, each byte as the float32 of JavaScript’s byte / 255', () => {
    const rows = Int32Array.of(15, 0, 7, 7, 3);
    const t = unitFloatsFromBytes(everyByte, rows, 16, [5, 4, 4, 1]);
    expect(t.shape).toEqual([5, 4, 4, 1]);
    expect(t.dtype).toBe('float32');
    const expected = new Float32Array(5 * 16);
    rows.forEach((row, i) => {
      for (let p = 0; p < 16; p++) expected[i * 16 + p] = everyByte[row * 16 + p]! / 255;
    });
    expect(t.dataSync()).toEqual(expected);
    t.dispose();
  });

  it("the table is the correctly rounded float32 quotient (what C's byte / 255.0f gives), 0 and 1 at the ends", () => {
    const bits = new Float32Array(1);
    const view = new Int32Array(bits.buffer);
    const step = (f: number, by: number) => ((bits[0] = f), (view[0]! += by), bits[0]!);
    // f * 255 - b is exact in doubles (24 + 8 bits), so distances compare exactly.
    const distance = (f: number, b: number) => Math.abs(f * 255 - b);
    for (let b = 1; b < 255; b++) {
      const f = UNIT_FLOAT_OF_BYTE[b]!;
      expect(distance(f, b)).toBeLessThan(distance(step(f, 1), b));
      expect(distance(f, b)).toBeLessThan(distance(step(f, -1), b));
    }
    expect([UNIT_FLOAT_OF_BYTE[0], UNIT_FLOAT_OF_BYTE[255]]).toEqual([0, 1]);
  });

  it('shapes the result [rows, rowLength] by default, and gives an empty batch', () => {
    const t = unitFloatsFromBytes(everyByte, Int32Array.of(1), 16);
    expect(t.shape).toEqual([1, 16]);
    const empty = unitFloatsFromBytes(everyByte, new Int32Array(0), 16, [0, 4, 4]);
    expect(empty.shape).toEqual([0, 4, 4]);
    expect(empty.size).toBe(0);
    tf.dispose([t, empty]);
  });

  it('refuses a row index outside the bytes in one line naming it, and a shape of another size', () => {
    const call = (rows: number[]) => () => unitFloatsFromBytes(everyByte, Int32Array.from(rows), 16);
    expect(call([0, 16])).toThrow(RangeError);
    expect(call([0, 16])).toThrow(/^row index 16 is outside 0\.\.15 \(rows of 16 bytes in 256\)$/);
    expect(call([-1])).toThrow(/row index -1 is outside/);
    expect(() => unitFloatsFromBytes(everyByte, Int32Array.of(0), 16, [4, 5])).toThrow(/shape \[4,5\] does not hold 1 rows of 16/);
  });

  it('unitFloatsInto writes at an offset and refuses to run past its array', () => {
    const attrs = { bytes: everyByte, rows: Int32Array.of(1), rowLength: 16, shape: [1, 16] };
    const out = unitFloatsInto(attrs, new Float32Array(20), 4);
    expect(out[4]).toBe(Math.fround(16 / 255));
    expect(out[3]).toBe(0);
    expect(() => unitFloatsInto(attrs, new Float32Array(20), 5)).toThrow(RangeError);
  });
});
