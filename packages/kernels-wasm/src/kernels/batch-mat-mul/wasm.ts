import { tf } from '@aekit/core';

/**
 * A faster `BatchMatMul` for the wasm backend, wrapping the one it ships.
 * The backend multiplies through XNNPACK only when neither factor is
 * transposed, and about twenty times slower otherwise, yet every dense
 * layer's backward pass multiplies by transposes (`dW = x^T dy`,
 * `dx = dy W^T`). Transposing explicitly first (a fast kernel) and then
 * taking the fast path computes the same product as `tf.transpose` followed
 * by `tf.matMul`. (Found while training the VAE family.)
 *
 * @param original - The wasm backend's own kernel.
 */
export function batchMatMulWasm(original: tf.KernelConfig): tf.KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      const wasm = backend as tf.KernelBackend;
      const transpose = tf.getKernel('Transpose', 'wasm')!;
      const swapLastTwo = (x: tf.TensorInfo): tf.TensorInfo => {
        const rank = x.shape.length;
        const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
        return transpose.kernelFunc({ inputs: { x }, backend: wasm, attrs: { perm } }) as tf.TensorInfo;
      };
      const left = transposeA ? swapLastTwo(a) : a;
      const right = transposeB ? swapLastTwo(b) : b;
      const out = original.kernelFunc({
        inputs: { a: left, b: right },
        backend: wasm,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      if (left !== a) wasm.disposeData(left.dataId);
      if (right !== b) wasm.disposeData(right.dataId);
      return out;
    },
  };
}
