import { tf } from '@aekit/core';
import { replaceKernelFunc, type AekitKernel } from '@aekit/kernels-wasm';
import { heapKernels, type WasmHeapBackend } from '@aekit/kernels-wasm/heap';
import { ACTIVATIONS, matMul } from '../contracts.js';
import { nativeActive } from '../native-state.js';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
}

/** A factor's matrices: how many, and their rows and columns as stored. */
function matrices(t: tf.TensorInfo): { batch: number; rows: number; cols: number } | undefined {
  const rank = t.shape.length;
  if (rank < 2) return undefined;
  return { batch: t.shape.slice(0, -2).reduce((a, b) => a * b, 1), rows: t.shape[rank - 2]!, cols: t.shape[rank - 1]! };
}

/**
 * The product natively, or undefined where the native kernel does not fit
 * (not float32, batch dimensions that broadcast otherwise than all-or-one, a
 * bias that is not one value per column, prelu), and the wrapped kernel runs.
 */
function nativeProduct(backend: WasmHeapBackend, a: tf.TensorInfo, b: tf.TensorInfo, bias: tf.TensorInfo | undefined, attrs: MatMulAttrs) {
  const kernels = nativeActive() ? heapKernels(backend) : undefined;
  const [left, right] = [matrices(a), matrices(b)];
  const activation = ACTIVATIONS[attrs.activation ?? 'linear'];
  if (!kernels || !left || !right || activation === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [m, k] = attrs.transposeA ? [left.cols, left.rows] : [left.rows, left.cols];
  const [k2, n] = attrs.transposeB ? [right.cols, right.rows] : [right.rows, right.cols];
  if (k !== k2) return undefined;
  const [aOuter, bOuter] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  if (!tf.util.arraysEqual(aOuter, bOuter) && left.batch !== 1 && right.batch !== 1) return undefined;
  // The batch dimensions of the side with more matrices (the longer shape where both have one).
  const outer = left.batch !== right.batch ? (left.batch > right.batch ? aOuter : bOuter) : aOuter.length >= bOuter.length ? aOuter : bOuter;
  if (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)) return undefined;
  const c = backend.makeOutput([...outer, m, n], 'float32');
  kernels.run(
    matMul,
    [{ tensor: a }, { tensor: b }, bias ? { tensor: bias } : null, { tensor: c }],
    [left.batch, right.batch, m, n, k, attrs.transposeA ? 1 : 0, attrs.transposeB ? 1 : 0, activation],
    [attrs.leakyreluAlpha ?? 0.2],
  );
  return c;
}

/**
 * `BatchMatMul` natively: every transposition read in place by Eigen's
 * packing (on wasm, XNNPACK takes only untransposed factors, so aekit's
 * wasm kernel transposes first), split over every core.
 */
export const nativeBatchMatMul: AekitKernel = {
  name: 'BatchMatMul',
  summary: 'products of any transposition natively, on every core',
  wraps: [
    {
      backend: 'wasm',
      wrap: (original) =>
        replaceKernelFunc(original, (args) => {
          const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
          const attrs = args.attrs as unknown as MatMulAttrs;
          return nativeProduct(args.backend as WasmHeapBackend, a, b, undefined, { ...attrs, activation: 'linear' }) ?? original.kernelFunc(args);
        }),
    },
  ],
};

/** `_FusedMatMul` natively: the product, its bias and activation in one pass over each block of the result. */
export const nativeFusedMatMul: AekitKernel = {
  name: '_FusedMatMul',
  summary: 'products with their bias and activation fused, natively',
  wraps: [
    {
      backend: 'wasm',
      wrap: (original) =>
        replaceKernelFunc(original, (args) => {
          const { a, b, bias } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
          const attrs = args.attrs as unknown as MatMulAttrs;
          return nativeProduct(args.backend as WasmHeapBackend, a, b, bias ?? undefined, attrs) ?? original.kernelFunc(args);
        }),
    },
  ],
};
