import type { tf } from '@aekit/core';
import { elementwiseKernel } from '../../heap/elementwise-on-heap.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { binaryCrossEntropyGradientHeap, binaryCrossEntropyHeap, binaryCrossEntropySumGradientHeap, binaryCrossEntropySumHeap } from './heap.js';
import {
  BINARY_CROSS_ENTROPY,
  BINARY_CROSS_ENTROPY_GRAD,
  BINARY_CROSS_ENTROPY_SUM,
  BINARY_CROSS_ENTROPY_SUM_BLOCK,
  BINARY_CROSS_ENTROPY_SUM_GRAD,
  PROBABILITY_EPSILON,
  type BinaryCrossEntropySumAttrs,
} from '@aekit/core/kernels';

/**
 * The binary cross-entropy loss as one wasm kernel. Composed from tfjs ops
 * it takes about ten elementwise kernels forward and back, two of them
 * scalar `Log` loops; the heap kernel (`binary-cross-entropy.c`) reads each
 * output and target once, with SIMD logarithms. Without the heap kernels
 * (no SIMD) the same formula runs as a JavaScript loop.
 */
export const binaryCrossEntropyWasm = elementwiseKernel({
  kernelName: BINARY_CROSS_ENTROPY,
  inputs: ['p', 't'],
  outputs: 1,
  fn: binaryCrossEntropyHeap,
  inJavaScript: ([pv, tv, ov], n) => {
    for (let i = 0; i < n; i++) ov![i] = crossEntropy(pv![i]!, tv![i]!);
  },
});

/** Its gradient for the outputs: `dy (p - t) / (p (1 - p))`, `p` clipped (`binary-cross-entropy-gradient.c`). */
export const binaryCrossEntropyGradWasm = elementwiseKernel({
  kernelName: BINARY_CROSS_ENTROPY_GRAD,
  inputs: ['p', 't', 'dy'],
  outputs: 1,
  fn: binaryCrossEntropyGradientHeap,
  inJavaScript: ([pv, tv, dyv, dpv], n) => {
    for (let i = 0; i < n; i++) dpv![i] = crossEntropyGradient(pv![i]!, tv![i]!, dyv![i]!);
  },
});

/**
 * The summed binary cross-entropy ({@link BINARY_CROSS_ENTROPY_SUM}) as one
 * wasm kernel: a scalar `scale * sum(bce)` in one pass over the outputs and
 * targets (`binary-cross-entropy-sum.c`), instead of the elementwise kernel's
 * `[n]` tensor and a `Mean` or `Sum` over it. Without the heap kernels the
 * same blocks are summed in JavaScript.
 */
export const binaryCrossEntropySumWasm: tf.KernelConfig = {
  kernelName: BINARY_CROSS_ENTROPY_SUM,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const { p, t } = inputs as { p: tf.TensorInfo; t: tf.TensorInfo };
    const { scale } = attrs as unknown as BinaryCrossEntropySumAttrs;
    const out = heap.makeOutput([], 'float32');
    const n = p.shape.reduce((a, b) => a * b, 1);
    const kernels = heapKernels(heap);
    if (kernels) kernels.run(binaryCrossEntropySumHeap, [{ tensor: p }, { tensor: t }, { tensor: out }], [n], [scale]);
    else {
      const [pv, tv, ov] = [p, t, out].map((info) => heap.typedArrayFromHeap(info));
      ov![0] = sumInBlocks(pv!, tv!, n) * Math.fround(scale);
    }
    return out;
  },
};

/** The gradient of {@link binaryCrossEntropySumWasm} for the outputs, from its scalar `dy`, in one pass. */
export const binaryCrossEntropySumGradWasm: tf.KernelConfig = {
  kernelName: BINARY_CROSS_ENTROPY_SUM_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const { p, t, dy } = inputs as { p: tf.TensorInfo; t: tf.TensorInfo; dy: tf.TensorInfo };
    const { scale } = attrs as unknown as BinaryCrossEntropySumAttrs;
    const dp = heap.makeOutput([...p.shape], 'float32');
    const n = p.shape.reduce((a, b) => a * b, 1);
    const kernels = heapKernels(heap);
    if (kernels) kernels.run(binaryCrossEntropySumGradientHeap, [{ tensor: p }, { tensor: t }, { tensor: dy }, { tensor: dp }], [n], [scale]);
    else {
      const [pv, tv, dyv, dpv] = [p, t, dy, dp].map((info) => heap.typedArrayFromHeap(info));
      const g = Math.fround(dyv![0]! * Math.fround(scale));
      for (let i = 0; i < n; i++) dpv![i] = crossEntropyGradient(pv![i]!, tv![i]!, g);
    }
    return dp;
  },
};

/** The C kernel's order in JavaScript's doubles: blocks of {@link BINARY_CROSS_ENTROPY_SUM_BLOCK}, added in order. */
function sumInBlocks(p: Float32Array, t: Float32Array, n: number): number {
  let total = 0;
  for (let start = 0; start < n; start += BINARY_CROSS_ENTROPY_SUM_BLOCK) {
    let block = 0;
    for (let i = start; i < Math.min(n, start + BINARY_CROSS_ENTROPY_SUM_BLOCK); i++) block += crossEntropy(p[i]!, t[i]!);
    total += block;
  }
  return total;
}

/** One element's `-(t log p + (1 - t) log(1 - p))`, `p` clipped. */
function crossEntropy(p: number, t: number): number {
  const pc = clip(p);
  const log1mP = Math.log(1 - pc);
  return -(log1mP + t * (Math.log(pc) - log1mP));
}

/** One element's gradient for the output, `dy (p - t) / (p (1 - p))`, `p` clipped. */
function crossEntropyGradient(p: number, t: number, dy: number): number {
  const pc = clip(p);
  return (dy * (pc - t)) / (pc * (1 - pc));
}

function clip(p: number): number {
  return Math.min(Math.max(p, PROBABILITY_EPSILON), 1 - PROBABILITY_EPSILON);
}
