// A prototype for @aekit/core (not part of this package's API): the wasm
// backend of tfjs 4.22 runs BatchMatMul fast through XNNPACK only when
// neither input is transposed, and about 20 times slower otherwise. Every
// dense layer's backward pass multiplies by transposes (dW = x^T dy,
// dx = dy W^T), so training a dense VAE spends most of its time there.
// This override materialises the transpose with the (fast) Transpose kernel
// and then takes the fast path; results are bit-identical to `tf.transpose`
// followed by `tf.matMul`.
import { tf } from '@aekit/core';

function swapLastTwo(x, backend, transpose) {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } });
}

/** Replaces the wasm BatchMatMul kernel by one that transposes explicitly. Idempotent. */
export function registerWasmMatMulFix() {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!original || original.fixedTransposes) return;
  const transpose = tf.getKernel('Transpose', 'wasm');
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    fixedTransposes: true,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { a, b } = inputs;
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc({ inputs, backend, attrs });
      const a2 = attrs.transposeA ? swapLastTwo(a, backend, transpose) : a;
      const b2 = attrs.transposeB ? swapLastTwo(b, backend, transpose) : b;
      const out = original.kernelFunc({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
      return out;
    },
  });
}
