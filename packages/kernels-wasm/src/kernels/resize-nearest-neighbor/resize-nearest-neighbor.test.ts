import { describe, expect, it } from 'vitest';
import { tf } from '@aekit/core';
import { expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { upsampleNearest } from './heap.js';

const kernels = heapKernelsForTests();

describe('upsampleNearest', () => {
  for (const [h, w, c, sh, sw] of [[3, 4, 4, 2, 2], [2, 3, 8, 3, 1], [1, 1, 12, 2, 3]] as const) {
    it(`copies every pixel of [2, ${h}, ${w}, ${c}] to a ${sh}x${sw} block`, () => {
      const x = seeded(`up-${h}-${w}-${c}`, 2 * h * w * c);
      const [H, W] = [h * sh, w * sw];
      const [src, dst] = [tensor(x), tensor(2 * H * W * c)];
      kernels.run(upsampleNearest, [{ tensor: src }, { tensor: dst }], [2, h, w, c, sh, sw]);
      const out = values(dst);
      for (let n = 0; n < 2; n++)
        for (let i = 0; i < H; i++)
          for (let j = 0; j < W; j++)
            for (let k = 0; k < c; k++) expect(out[((n * H + i) * W + j) * c + k]).toBe(x[((n * h + Math.floor(i / sh)) * w + Math.floor(j / sw)) * c + k]);
      tf.dispose([src, dst]);
    });
  }

  it('refuses an output smaller than the up-sampled image, and channels not a multiple of 4', () => {
    const [src, dst] = [tensor(2 * 3 * 3 * 4), tensor(2 * 6 * 6 * 4 - 1)];
    expectRefused(() => kernels.run(upsampleNearest, [{ tensor: src }, { tensor: dst }], [2, 3, 3, 4, 2, 2]), dst, /dst spans elements \[0, 288\) of a tensor of 287/);
    expectRefused(() => kernels.run(upsampleNearest, [{ tensor: src }, { tensor: dst }], [3, 3, 3, 4, 1, 1]), dst, /src spans/);
    expectRefused(() => kernels.run(upsampleNearest, [{ tensor: src }, { tensor: dst }], [2, 3, 2, 6, 2, 2]), dst, /multiple of 4/);
    // No channels: the pixel loop copies a first vector unconditionally.
    expectRefused(() => kernels.run(upsampleNearest, [{ tensor: src }, { tensor: dst }], [2, 3, 3, 0, 2, 2]), dst, /positive multiple of 4/);
    tf.dispose([src, dst]);
  });
});
