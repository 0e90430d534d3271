import type { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels, type HeapKernels } from '../../heap/heap-kernels.js';
import { swapOuterAxes, transpose2d } from './heap.js';

/**
 * A faster `Transpose` for the wasm backend, wrapping the one it ships.
 * Training transposes activations (the filter gradient of wider layers runs
 * as a convolution over `x` with its batch and channels swapped) and
 * weights (dense layers' gradients), and the backend moves one element at a
 * time. Most permutations met in training reduce to a 2-D transpose or a
 * swap of two outer axes once axes that move together are merged; those
 * run as SIMD loops on the heap (`transpose2d.c`, `swap-outer-axes.c`;
 * timed by `node bench/kernels.mjs`), the rest as before.
 *
 * @param original - The wasm backend's own kernel.
 */
export function transposeWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { perm } = args.attrs as unknown as { perm: number[] };
    const backend = args.backend as WasmHeapBackend;
    const kernels = heapKernels(backend);
    const plan = planTranspose(x.shape, perm);
    if (!kernels || !plan || (x.dtype !== 'float32' && x.dtype !== 'int32')) return original.kernelFunc(args);
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis]!),
      x.dtype,
    );
    runTranspose(kernels, plan, x, out);
    return out;
  });
}

/**
 * A permutation reduced to one of the moves the heap kernels make: a plain
 * copy; `[a, b, n]` to `[b, a, n]`; or `batch` matrix transposes, either
 * `[batch, rows, cols]` to `[batch, cols, rows]` (`batchOuter`) or
 * `[rows, batch, cols]` to `[cols, batch, rows]`.
 * @internal
 */
export type TransposePlan =
  | { kind: 'copy'; size: number }
  | { kind: 'swap'; a: number; b: number; n: number }
  | { kind: 'transpose'; rows: number; cols: number; batch: number; batchOuter: boolean };

/**
 * Reduces transposing `shape` by `perm` to a {@link TransposePlan}: axes of
 * size 1 are dropped and axes adjacent in both orders merged, so that
 * `[256, 28, 28, 16]` by `[1, 2, 0, 3]` becomes `[256, 784, 16]` by
 * `[1, 0, 2]`. `undefined` when what is left has no heap kernel.
 * @internal
 */
export function planTranspose(shape: readonly number[], perm: readonly number[]): TransposePlan | undefined {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return undefined;
  const { dims, order } = mergeAxes(shape, perm);
  const plan = planMerged(dims, order.join(''), size);
  // Many tiny matrices cost more in calls into the module than the backend's own loop.
  if (plan?.kind === 'transpose' && plan.batch > 1 && plan.rows * plan.cols < MIN_MATRIX_SIZE) return undefined;
  return plan;
}

const MIN_MATRIX_SIZE = 64;

function planMerged(dims: number[], order: string, size: number): TransposePlan | undefined {
  switch (order) {
    case '':
    case '0':
      return { kind: 'copy', size };
    case '10':
      return { kind: 'transpose', rows: dims[0]!, cols: dims[1]!, batch: 1, batchOuter: true };
    case '102':
      return { kind: 'swap', a: dims[0]!, b: dims[1]!, n: dims[2]! };
    case '021': // [batch, rows, cols] -> [batch, cols, rows]
      return { kind: 'transpose', rows: dims[1]!, cols: dims[2]!, batch: dims[0]!, batchOuter: true };
    case '210': // [rows, batch, cols] -> [cols, batch, rows]
      return { kind: 'transpose', rows: dims[0]!, cols: dims[2]!, batch: dims[1]!, batchOuter: false };
    default:
      return undefined;
  }
}

/** Drops axes of size 1 and merges axes that stay adjacent and in order. */
function mergeAxes(shape: readonly number[], perm: readonly number[]): { dims: number[]; order: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  // Runs of input axes that follow each other in the output.
  const runs: number[][] = [];
  for (const axis of kept) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]! + 1 === axis) last.push(axis);
    else runs.push([axis]);
  }
  const byInput = [...runs].sort((r, s) => r[0]! - s[0]!);
  return {
    dims: byInput.map((run) => run.reduce((n, axis) => n * shape[axis]!, 1)),
    order: runs.map((run) => byInput.indexOf(run)),
  };
}

function runTranspose(kernels: HeapKernels, plan: TransposePlan, src: tf.TensorInfo, dst: tf.TensorInfo): void {
  switch (plan.kind) {
    case 'copy':
      kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [1, 1, plan.size]);
      return;
    case 'swap':
      kernels.run(swapOuterAxes, [{ tensor: src }, { tensor: dst }], [plan.a, plan.b, plan.n]);
      return;
    case 'transpose': {
      const { rows, cols, batch, batchOuter } = plan;
      if (batchOuter) {
        // Each [rows, cols] matrix is contiguous in both.
        const size = rows * cols;
        for (let i = 0; i < batch; i++) {
          kernels.run(transpose2d, [{ tensor: src, from: i * size }, { tensor: dst, from: i * size }], [rows, cols, cols, rows]);
        }
      } else {
        // [rows, batch, cols] -> [cols, batch, rows]: matrix i starts at column block i of each.
        for (let i = 0; i < batch; i++) {
          kernels.run(transpose2d, [{ tensor: src, from: i * cols }, { tensor: dst, from: i * rows }], [rows, cols, batch * cols, batch * rows]);
        }
      }
    }
  }
}
