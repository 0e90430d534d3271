import { elementwiseKernel } from '../../heap/elementwise-on-heap.js';
import { adamUpdateHeap } from './heap.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '@aekit/core/kernels';

/**
 * {@link ADAM_UPDATE} on the wasm heap: one SIMD pass computing the new
 * weights and moments into fresh buffers (`adam-update.c`). Without the heap
 * kernels (no SIMD) the same float32 steps run as a JavaScript loop.
 */
export const adamUpdateWasm = elementwiseKernel<AdamUpdateAttrs>({
  kernelName: ADAM_UPDATE,
  inputs: ['value', 'm', 'v', 'gradient'],
  outputs: 3,
  fn: adamUpdateHeap,
  floats: ({ beta1, beta2, epsilon, learningRate, c1, c2 }) => [beta1, 1 - beta1, beta2, 1 - beta2, c1, c2, epsilon, -learningRate],
  inJavaScript: ([x, mv, vv, g, nx, nm, nv], n, { beta1, beta2, epsilon, learningRate, c1, c2 }) => {
    const f = Math.fround;
    for (let i = 0; i < n; i++) {
      const mi = f(f(mv![i]! * f(beta1)) + f(g![i]! * f(1 - beta1)));
      const vi = f(f(vv![i]! * f(beta2)) + f(f(g![i]! * g![i]!) * f(1 - beta2)));
      nm![i] = mi;
      nv![i] = vi;
      nx![i] = f(f(f(f(mi / f(c1)) / f(f(Math.sqrt(f(vi / f(c2)))) + f(epsilon))) * f(-learningRate)) + x![i]!);
    }
  },
});
