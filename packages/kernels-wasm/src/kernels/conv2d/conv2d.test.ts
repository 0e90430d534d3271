import { describe, it } from 'vitest';
import { tf } from '@aekit/core';
import { convolve, expectClose, expectRefused, sameWindow, seeded, tensor, values, heapKernelsForTests, windowSizes } from '../../../test/support/heap.js';
import type { HeapKernels } from '../../heap/heap-kernels.js';
import { singleInputConvolution, singleOutputConvolution } from './heap.js';

const kernels = heapKernelsForTests();

describe('single-channel convolution heap functions', () => {
  for (const [h, w, c, size, stride, withBias] of [[5, 6, 4, 3, 1, true], [7, 9, 8, 3, 2, false], [6, 6, 12, 5, 1, true], [4, 3, 4, 1, 1, false]] as const) {
    it(`singleOutputConvolution: [2, ${h}, ${w}, ${c}], ${size}x${size} by ${stride}${withBias ? ', with bias' : ''}`, () => {
      const win = sameWindow(2, h, w, c, size, stride);
      const x = seeded(`so-x-${h}-${c}`, 2 * h * w * c);
      const f = seeded(`so-w-${size}-${c}`, size * size * c);
      const b = seeded('so-b', 1);
      const [xt, ft, bt, y] = [tensor(x), tensor(f), tensor(b), tensor(2 * win.outHeight * win.outWidth)];
      kernels.run(singleOutputConvolution, [{ tensor: xt }, { tensor: ft }, withBias ? { tensor: bt } : null, { tensor: y }], windowSizes(win));
      expectClose(values(y), convolve(x, f, c, 1, win, withBias ? b : undefined), 1e-5);
      tf.dispose([xt, ft, bt, y]);
    });
  }

  for (const [h, w, c, size, stride, withBias] of [[5, 6, 16, 3, 1, true], [7, 8, 20, 3, 2, false], [6, 5, 32, 5, 1, true]] as const) {
    it(`singleInputConvolution: [2, ${h}, ${w}, 1] to ${c} channels, ${size}x${size} by ${stride}${withBias ? ', with bias' : ''}`, () => {
      const win = sameWindow(2, h, w, 1, size, stride);
      const x = seeded(`si-x-${h}-${c}`, 2 * h * w);
      const f = seeded(`si-w-${size}-${c}`, size * size * c);
      const b = seeded('si-b', c);
      const [xt, ft, bt, y] = [tensor(x), tensor(f), tensor(b), tensor(2 * win.outHeight * win.outWidth * c)];
      kernels.run(singleInputConvolution, [{ tensor: xt }, { tensor: ft }, withBias ? { tensor: bt } : null, { tensor: y }], windowSizes(win, c));
      expectClose(values(y), convolve(x, f, 1, c, win, withBias ? b : undefined), 1e-5);
      tf.dispose([xt, ft, bt, y]);
    });
  }

  it('refuse channels the vector loops cannot take, zero strides, and images larger than their tensors', () => {
    const win = sameWindow(2, 5, 5, 4, 3, 1);
    const [xt, ft, small, y] = [tensor(2 * 5 * 5 * 16), tensor(9 * 16), tensor(9 * 4), tensor(2 * 25 * 16)];
    const run = (fn: typeof singleOutputConvolution, regions: Parameters<HeapKernels['run']>[1], sizes: number[]) => () => kernels.run(fn, regions, sizes);
    expectRefused(run(singleOutputConvolution, [{ tensor: xt }, { tensor: ft }, null, { tensor: y }], windowSizes(win, 6)), y, /multiple of 4/);
    expectRefused(run(singleOutputConvolution, [{ tensor: xt }, { tensor: ft }, null, { tensor: y }], windowSizes({ ...win, strideWidth: 0 })), y, /strides/);
    // A batch of 3 where the tensor holds 2 images.
    expectRefused(run(singleOutputConvolution, [{ tensor: small }, { tensor: ft }, null, { tensor: y }], windowSizes({ ...win, batch: 3 })), y, /x spans/);
    expectRefused(run(singleInputConvolution, [{ tensor: xt }, { tensor: ft }, null, { tensor: y }], windowSizes(win, 8)), y, /at least 16/);
    expectRefused(run(singleInputConvolution, [{ tensor: xt }, { tensor: small }, null, { tensor: y }], windowSizes(win, 16)), y, /w spans/);
    // A bias too short for 16 channels.
    expectRefused(run(singleInputConvolution, [{ tensor: xt }, { tensor: ft }, { tensor: tensor(4) }, { tensor: y }], windowSizes(win, 16)), y, /bias spans/);
    tf.dispose([xt, ft, small, y]);
  });
});
