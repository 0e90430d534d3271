import { tf } from '@aekit/core';
import { DENSE, DENSE_GRAD, type DenseAttrs } from '@aekit/core/kernels';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { KernelRunner } from '../../shared/kernel-runner.js';
import { reluGradientHeap } from '../relu-grad/heap.js';
import { sigmoidGradientHeap } from '../sigmoid-grad/heap.js';
import { activationGradientInJavaScript } from './activation-gradient.js';

type DenseInputs = { x: tf.TensorInfo; kernel: tf.TensorInfo };

/** The layer's sizes: rows of the batch, inputs and units. */
function denseSizes({ x, kernel }: DenseInputs): { n: number; features: number; units: number } {
  return { n: x.shape[0]!, features: x.shape[1]!, units: kernel.shape[1]! };
}

/**
 * {@link DENSE} on the wasm backend: the backend's `_FusedMatMul` (XNNPACK)
 * with the bias and the activation fused (tanh, which it lacks, after it by
 * the backend's `Tanh`); on the `native` backend that product is the
 * native one.
 */
export const denseWasm: tf.KernelConfig = {
  kernelName: DENSE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, kernel, bias } = inputs as DenseInputs & { bias?: tf.TensorInfo };
    const { activation } = attrs as unknown as DenseAttrs;
    const { n, features, units } = denseSizes({ x, kernel });
    const runner = new KernelRunner(backend as WasmHeapBackend, 'wasm');
    const reshape = (t: tf.TensorInfo, shape: number[]) => runner.run('Reshape', { x: t }, { shape });
    const factors = { a: reshape(x, [1, n, features]), b: reshape(kernel, [1, features, units]), ...(bias ? { bias } : {}) };
    const fused = activation === 'tanh' ? 'linear' : activation;
    const product = runner.run('_FusedMatMul', factors, { transposeA: false, transposeB: false, activation: fused });
    const y = activation === 'tanh' ? runner.result('Tanh', { x: reshape(product, [n, units]) }, {}) : runner.result('Reshape', { x: product }, { shape: [n, units] });
    runner.dispose();
    return y;
  },
};

/**
 * {@link DENSE_GRAD} on the wasm backend: the activation's gradient
 * `dz` in one SIMD pass on the heap (relu, sigmoid; a JavaScript loop for
 * tanh and elu), then `dx = dz W^T` and `dW = x^T dz` (the backend's
 * products) and `db` as column sums of `dz`: no kernel goes through the
 * engine or the tape.
 */
export const denseGradWasm: tf.KernelConfig = {
  kernelName: DENSE_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const { x, kernel, y, dy } = inputs as DenseInputs & { y: tf.TensorInfo; dy: tf.TensorInfo };
    const { activation, hasBias } = attrs as unknown as DenseAttrs;
    const { n, features, units } = denseSizes({ x, kernel });
    const runner = new KernelRunner(heap, 'wasm');
    const reshape = (t: tf.TensorInfo, shape: number[]) => runner.run('Reshape', { x: t }, { shape });
    let dz = dy;
    if (activation !== 'linear') {
      dz = runner.adopt(heap.makeOutput([n, units], 'float32'));
      const kernels = heapKernels(heap);
      const simd = activation === 'relu' ? reluGradientHeap : activation === 'sigmoid' ? sigmoidGradientHeap : undefined;
      if (kernels && simd) kernels.run(simd, [{ tensor: y }, { tensor: dy }, { tensor: dz }], [n * units]);
      else activationGradientInJavaScript(activation, heap.typedArrayFromHeap(y), heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(dz));
    }
    const dzMatrix = reshape(dz, [1, n, units]);
    const dxRows = runner.run('BatchMatMul', { a: dzMatrix, b: reshape(kernel, [1, features, units]) }, { transposeA: false, transposeB: true });
    const dx = runner.result('Reshape', { x: dxRows }, { shape: [n, features] });
    const dKernelMatrix = runner.run('BatchMatMul', { a: reshape(x, [1, n, features]), b: dzMatrix }, { transposeA: true, transposeB: false });
    const dKernel = runner.result('Reshape', { x: dKernelMatrix }, { shape: [features, units] });
    const outputs = [dx, dKernel];
    if (hasBias) outputs.push(runner.result('Sum', { x: dz }, { axis: [0], keepDims: false }));
    runner.dispose();
    return outputs;
  },
};
