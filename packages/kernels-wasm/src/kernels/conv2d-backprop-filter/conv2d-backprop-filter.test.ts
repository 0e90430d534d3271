import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { expectClose, expectRefused, filterGradientReference, heapKernelsForTests, sameWindow, seeded, tensor, values, windowSizes } from '../../../test/support/heap.js';
import { filterGradient } from './heap.js';

const kernels = heapKernelsForTests();

describe('filterGradient', () => {
  // [ci, co]: dy wide (1 to 16, 3 to 8, 5 to 28), x wide (16 to 1, 12 to 3).
  for (const [ci, co, stride] of [[1, 16, 1], [3, 8, 2], [5, 28, 1], [16, 1, 1], [12, 3, 2]] as const) {
    it(`sums ${ci} to ${co} channels by stride ${stride} as vectors of the wider side`, () => {
      const win = sameWindow(2, 7, 6, 0, 3, stride);
      const xIsWide = ci > co ? 1 : 0;
      const [wide, scalar] = xIsWide ? [ci, co] : [co, ci];
      const x = seeded(`fg-x-${ci}-${co}`, 2 * 7 * 6 * ci);
      const dy = seeded(`fg-dy-${ci}-${co}`, 2 * win.outHeight * win.outWidth * co);
      const [xt, dyt, dw] = [tensor(x), tensor(dy), tensor(9 * ci * co)];
      kernels.run(filterGradient, [{ tensor: xt }, { tensor: dyt }, { tensor: dw }], [...windowSizes(win, wide), scalar, xIsWide]);
      const reference = filterGradientReference(x, dy, ci, co, win);
      // Laid out [kh, kw, scalar, wide]: the filter's own layout when dy is wide, else [kh, kw, co, ci].
      const expected = xIsWide ? Array.from(reference, (_, i) => {
        const [tap, s, w] = [Math.floor(i / (ci * co)), Math.floor(i / ci) % co, i % ci];
        return reference[(tap * ci + w) * co + s]!;
      }) : reference;
      expectClose(values(dw), expected, 1e-4);
      tf.dispose([xt, dyt, dw]);
    });
  }

  it('refuses a filter, an image or a gradient larger than its tensor, and a wide side not a multiple of 4', () => {
    const win = sameWindow(2, 5, 5, 0, 3, 1);
    const [xt, dyt, dw] = [tensor(seeded('fg-fit-x', 2 * 25)), tensor(seeded('fg-fit-dy', 2 * 25 * 8)), tensor(9 * 8)];
    const run = (sizes: number[], out = dw) => () => kernels.run(filterGradient, [{ tensor: xt }, { tensor: dyt }, { tensor: out }], sizes);
    run([...windowSizes(win, 8), 1, 0])(); // fits: runs
    expect(values(dw).some((v) => v !== 0)).toBe(true);
    const before = tensor(values(dw));
    expectRefused(run([...windowSizes(win, 8), 2, 0]), dw, /x spans/);
    expectRefused(run([...windowSizes({ ...win, outHeight: 6 }, 8), 1, 0]), dw, /dy spans/);
    expectRefused(run([...windowSizes({ ...win, filterHeight: 4 }, 8), 1, 0]), dw, /dw spans/);
    expectRefused(run([...windowSizes(win, 6), 1, 0]), dw, /multiple of 4/);
    expectRefused(run([...windowSizes(win, 8), 1, 2]), dw, /xIsWide/);
    expect(values(dw)).toEqual(values(before));
    tf.dispose([xt, dyt, dw, before]);
  });
});

describe('the tfjs bug this kernel avoids', () => {
  // When this fails, the wasm backend's own 3-D filter gradient is right for
  // strides above one and could serve 2-D layers (as a depth of 1); the note
  // in wasm.ts points here.
  it("the wasm backend's Conv3DBackpropFilterV2 is still wrong for stride 2", async () => {
    const x = seeded('c3d-x', 2 * 1 * 7 * 7 * 3);
    const filterShape = [1, 3, 3, 3, 4];
    const attrs = { strides: [1, 2, 2], pad: 'valid', filterShape, dilations: [1, 1, 1] };
    const gradient = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const xt = tf.tensor5d(x, [2, 1, 7, 7, 3]);
      const dyt = tf.tensor5d(seeded('c3d-dy', 2 * 1 * 3 * 3 * 4), [2, 1, 3, 3, 4]);
      const dw = tf.engine().runKernel('Conv3DBackpropFilterV2', { x: xt, dy: dyt }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
      const result = dw.dataSync().slice();
      tf.dispose([xt, dyt, dw]);
      return result;
    };
    const reference = await gradient('cpu');
    const wasm = await gradient('wasm');
    const worst = Math.max(...Array.from(wasm, (v, i) => Math.abs(v - reference[i]!)));
    expect(worst).toBeGreaterThan(1e-3);
  });
});
