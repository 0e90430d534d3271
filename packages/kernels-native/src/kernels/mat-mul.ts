import { tf } from '@aekit/core';
import { ACTIVATIONS, matMul } from '../contracts.js';
import { nativeKernel, type NativeCall } from './native-wrapper.js';

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
function nativeProduct({ inputs, attrs, backend, heap }: NativeCall, linear: boolean): tf.TensorInfo | undefined {
  const { a, b, bias } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
  const { transposeA, transposeB, activation: name, leakyreluAlpha } = attrs as unknown as MatMulAttrs;
  const [left, right] = [matrices(a), matrices(b)];
  const activation = ACTIVATIONS[linear ? 'linear' : (name ?? 'linear')];
  if (!left || !right || activation === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [m, k] = transposeA ? [left.cols, left.rows] : [left.rows, left.cols];
  const [k2, n] = transposeB ? [right.cols, right.rows] : [right.rows, right.cols];
  if (k !== k2) return undefined;
  const [aOuter, bOuter] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  if (!tf.util.arraysEqual(aOuter, bOuter) && left.batch !== 1 && right.batch !== 1) return undefined;
  // The batch dimensions of the side with more matrices (the longer shape where both have one).
  const outer = left.batch !== right.batch ? (left.batch > right.batch ? aOuter : bOuter) : aOuter.length >= bOuter.length ? aOuter : bOuter;
  const withBias = linear ? undefined : (bias ?? undefined);
  if (withBias && (withBias.dtype !== 'float32' || tf.util.sizeFromShape(withBias.shape) !== n || withBias.shape[withBias.shape.length - 1] !== n)) return undefined;
  const c = backend.makeOutput([...outer, m, n], 'float32');
  heap.run(
    matMul,
    [{ tensor: a }, { tensor: b }, withBias ? { tensor: withBias } : null, { tensor: c }],
    [left.batch, right.batch, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, activation],
    [leakyreluAlpha ?? 0.2],
  );
  return c;
}

/**
 * `BatchMatMul` natively: every transposition read in place by Eigen's
 * packing (on wasm, XNNPACK takes only untransposed factors, so aekit's
 * wasm kernel transposes first), split over every core.
 */
export const nativeBatchMatMul = nativeKernel('BatchMatMul', 'products of any transposition natively, on every core', (call) => nativeProduct(call, true));

/** `_FusedMatMul` natively: the product, its bias and activation in one pass over each block of the result. */
export const nativeFusedMatMul = nativeKernel('_FusedMatMul', 'products with their bias and activation fused, natively', (call) => nativeProduct(call, false));
