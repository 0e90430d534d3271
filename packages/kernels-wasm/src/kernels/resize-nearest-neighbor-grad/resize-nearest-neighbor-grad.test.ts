import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@aekit/core';
import { expectClose, expectRefused, seeded, tensor, values, heapKernelsForTests } from '../../../test/support/heap.js';
import { backendOwnKernel } from '../index.js';
import { upsampleNearestGradient } from './heap.js';

// tfjs' own cpu kernel, which aekit's wrapper stands in for.
const tfjsCpuKernel = backendOwnKernel('ResizeNearestNeighborGrad', 'cpu')!;

const kernels = heapKernelsForTests();

/** Each input pixel's gradient: the sum of its sh x sw block of dy. */
function blockSums(dy: Float32Array, batch: number, h: number, w: number, c: number, sh: number, sw: number): Float64Array {
  const dx = new Float64Array(batch * h * w * c);
  const [H, W] = [h * sh, w * sw];
  for (let n = 0; n < batch; n++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let k = 0; k < c; k++) dx[((n * h + Math.floor(i / sh)) * w + Math.floor(j / sw)) * c + k] += dy[((n * H + i) * W + j) * c + k]!;
  return dx;
}

describe('upsampleNearestGradient', () => {
  for (const [h, w, c, sh, sw] of [[3, 4, 4, 2, 2], [2, 3, 8, 3, 1], [2, 2, 4, 3, 3]] as const) {
    it(`sums each ${sh}x${sw} block of the gradient of [2, ${h * sh}, ${w * sw}, ${c}]`, () => {
      const dy = seeded(`upg-${h}-${w}-${c}`, 2 * h * sh * w * sw * c);
      const [dyt, dx] = [tensor(dy), tensor(2 * h * w * c)];
      kernels.run(upsampleNearestGradient, [{ tensor: dyt }, { tensor: dx }], [2, h, w, c, sh, sw]);
      expectClose(values(dx), blockSums(dy, 2, h, w, c, sh, sw), 1e-6);
      tf.dispose([dyt, dx]);
    });
  }

  it('refuses a gradient smaller than the up-sampled image', () => {
    const [dyt, dx] = [tensor(2 * 4 * 4 * 4 - 4), tensor(2 * 2 * 2 * 4)];
    expectRefused(() => kernels.run(upsampleNearestGradient, [{ tensor: dyt }, { tensor: dx }], [2, 2, 2, 4, 2, 2]), dx, /dy spans/);
    tf.dispose([dyt, dx]);
  });
});

describe('the tfjs bug the cpu wrapper corrects', () => {
  // When this fails, tfjs' cpu ResizeNearestNeighborGrad is right for batches
  // above one: drop the cpu entry of this kernel (kernel.ts) and this test.
  it("tfjs' own cpu ResizeNearestNeighborGrad still mixes up the examples of a batch", async () => {
    await useBackend('cpu');
    const [n, h, w, c, s] = [2, 2, 2, 1, 2];
    const dy = seeded('tfjs-bug', n * h * s * w * s * c);
    const images = tf.zeros([n, h, w, c]);
    const dyt = tf.tensor4d(dy, [n, h * s, w * s, c]);
    const info = tfjsCpuKernel.kernelFunc({
      inputs: { images, dy: dyt },
      backend: tf.backend(),
      attrs: { alignCorners: false, halfPixelCenters: false },
    }) as tf.TensorInfo;
    const own = tf.engine().makeTensorFromTensorInfo(info);
    const expected = blockSums(dy, n, h, w, c, s, s);
    const worst = Math.max(...Array.from(own.dataSync(), (v, i) => Math.abs(v - expected[i]!)));
    expect(worst).toBeGreaterThan(1e-3);
    tf.dispose([images, dyt, own]);
  });
});
