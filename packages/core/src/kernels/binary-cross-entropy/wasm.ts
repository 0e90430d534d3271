import type { tf } from '../../tf.js';
import { BINARY_CROSS_ENTROPY, BINARY_CROSS_ENTROPY_GRAD, PROBABILITY_EPSILON } from './name.js';
import { binaryCrossEntropyGradientHeap, binaryCrossEntropyHeap } from './heap.js';
import { elementwiseOnHeap } from '../heap/elementwise-on-heap.js';

/**
 * The binary cross-entropy loss as one wasm kernel. Composed from tfjs ops
 * it takes about ten elementwise kernels forward and back, two of them
 * scalar `Log` loops; the heap kernel (`binary-cross-entropy.c`) reads each
 * output and target once, with SIMD logarithms.
 * Without the heap kernels (no SIMD) the same formula runs as a JavaScript loop.
 */
export const binaryCrossEntropyWasm: tf.KernelConfig = {
  kernelName: BINARY_CROSS_ENTROPY,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { p, t } = inputs as { p: tf.TensorInfo; t: tf.TensorInfo };
    const [out] = elementwiseOnHeap(
      backend,
      [p, t],
      1,
      binaryCrossEntropyHeap,
      [],
      ([pv, tv, ov], n) => {
        for (let i = 0; i < n; i++) {
          const pc = clip(pv![i]!);
          const log1mP = Math.log(1 - pc);
          ov![i] = -(log1mP + tv![i]! * (Math.log(pc) - log1mP));
        }
      },
    );
    return out!;
  },
};

/** Its gradient for the outputs: `dy (p - t) / (p (1 - p))`, `p` clipped. */
export const binaryCrossEntropyGradWasm: tf.KernelConfig = {
  kernelName: BINARY_CROSS_ENTROPY_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { p, t, dy } = inputs as { p: tf.TensorInfo; t: tf.TensorInfo; dy: tf.TensorInfo };
    const [dp] = elementwiseOnHeap(
      backend,
      [p, t, dy],
      1,
      binaryCrossEntropyGradientHeap,
      [],
      ([pv, tv, dyv, dpv], n) => {
        for (let i = 0; i < n; i++) {
          const pc = clip(pv![i]!);
          dpv![i] = (dyv![i]! * (pc - tv![i]!)) / (pc * (1 - pc));
        }
      },
    );
    return dp!;
  },
};

function clip(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
}
