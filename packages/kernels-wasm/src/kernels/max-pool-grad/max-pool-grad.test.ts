import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectRefused, seeded, tensor, values, heapKernelsForTests, windowSizes, type Window } from '../../../test/support/heap.js';
import { maxPoolGradient } from './heap.js';

const kernels = heapKernelsForTests();

/** Each window's gradient to its first maximum, row by row (tfjs' cpu rule). */
function reference(x: Float32Array, dy: Float32Array, win: Window): Float32Array {
  const dx = new Float32Array(x.length);
  const c = win.channels;
  for (let n = 0; n < win.batch; n++)
    for (let oh = 0; oh < win.outHeight; oh++)
      for (let ow = 0; ow < win.outWidth; ow++)
        for (let k = 0; k < c; k++) {
          let [best, at] = [Number.NEGATIVE_INFINITY, -1];
          for (let i = Math.max(0, oh * win.strideHeight - win.top); i < Math.min(win.inHeight, oh * win.strideHeight - win.top + win.filterHeight); i++)
            for (let j = Math.max(0, ow * win.strideWidth - win.left); j < Math.min(win.inWidth, ow * win.strideWidth - win.left + win.filterWidth); j++) {
              const index = ((n * win.inHeight + i) * win.inWidth + j) * c + k;
              if (x[index]! > best) [best, at] = [x[index]!, index];
            }
          if (at >= 0) dx[at] = dy[((n * win.outHeight + oh) * win.outWidth + ow) * c + k]!;
        }
  return dx;
}

describe('maxPoolGradient', () => {
  const cases: [string, Window][] = [
    ['2x2 by 2 tiling an even image', { batch: 2, inHeight: 6, inWidth: 4, channels: 8, outHeight: 3, outWidth: 2, filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, top: 0, left: 0 }],
    ['2x2 by 2 with padding on an odd image', { batch: 2, inHeight: 5, inWidth: 5, channels: 4, outHeight: 3, outWidth: 3, filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, top: 0, left: 0 }],
    ['2x2 by 3, leaving gaps', { batch: 1, inHeight: 6, inWidth: 6, channels: 4, outHeight: 2, outWidth: 2, filterHeight: 2, filterWidth: 2, strideHeight: 3, strideWidth: 3, top: 0, left: 0 }],
  ];
  for (const [name, win] of cases) {
    it(`routes each window's gradient to its first maximum: ${name}`, () => {
      // Few distinct values, so that windows hold ties.
      const x = Float32Array.from(seeded(`mp-${name}`, win.batch * win.inHeight * win.inWidth * win.channels, 0, 3), Math.floor);
      const dy = seeded(`mp-dy-${name}`, win.batch * win.outHeight * win.outWidth * win.channels);
      const [xt, dyt, dx] = [tensor(x), tensor(dy), tensor(x.length)];
      kernels.run(maxPoolGradient, [{ tensor: xt }, { tensor: dyt }, { tensor: dx }], windowSizes(win));
      expect(values(dx)).toEqual(reference(x, dy, win));
      tf.dispose([xt, dyt, dx]);
    });
  }

  it('refuses windows past the image, gradients past dy and channels not a multiple of 4', () => {
    const win = cases[0]![1];
    const [xt, dyt, dx] = [tensor(2 * 6 * 4 * 8), tensor(2 * 3 * 2 * 8), tensor(2 * 6 * 4 * 8)];
    expectRefused(() => kernels.run(maxPoolGradient, [{ tensor: xt }, { tensor: dyt }, { tensor: dx }], windowSizes({ ...win, inHeight: 8 })), dx, /x spans/);
    expectRefused(() => kernels.run(maxPoolGradient, [{ tensor: xt }, { tensor: dyt }, { tensor: dx }], windowSizes({ ...win, outWidth: 3 })), dx, /dy spans/);
    expectRefused(() => kernels.run(maxPoolGradient, [{ tensor: xt }, { tensor: dyt }, { tensor: dx }], windowSizes({ ...win, channels: 6 })), dx, /multiple of 4/);
    tf.dispose([xt, dyt, dx]);
  });
});
