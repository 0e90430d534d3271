import type { tf } from '@aekit/core';
import { DENSE, DENSE_GRAD, type DenseAttrs } from '@aekit/core/kernels';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { KernelRunner } from '../../shared/kernel-runner.js';
import { reluGradientHeap } from '../relu-grad/heap.js';
import { sigmoidGradientHeap } from '../sigmoid-grad/heap.js';
import { activationGradientInJavaScript } from './activation-gradient.js';

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
    const { x, kernel, bias } = inputs as Record<'x' | 'kernel', tf.TensorInfo> & { bias?: tf.TensorInfo };
    const { activation } = attrs as unknown as DenseAttrs;
    const [n, features] = x.shape as [number, number];
    const units = kernel.shape[1]!;
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
 * {@link DENSE_GRAD} on the wasm backend: the activation's gradient `dz` in
 * one SIMD pass on the heap (relu, sigmoid; a JavaScript loop for tanh and
 * elu), then `dKernel = x^T dz` (the backend's product) and `dBias` as
 * column sums of `dz`: no kernel goes through the engine or the tape.
 */
export const denseGradWasm: tf.KernelConfig = {
  kernelName: DENSE_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const { x, y, dy } = inputs as Record<'x' | 'y' | 'dy', tf.TensorInfo>;
    const { activation, hasBias } = attrs as unknown as DenseAttrs;
    const [n, features] = x.shape as [number, number];
    const units = y.shape[1]!;
    const runner = new KernelRunner(heap, 'wasm');
    const reshape = (t: tf.TensorInfo, shape: number[]) => runner.run('Reshape', { x: t }, { shape });
    let dz: tf.TensorInfo;
    if (activation === 'linear') {
      dz = runner.result('Identity', { x: dy }, {});
    } else {
      dz = heap.makeOutput([n, units], 'float32');
      const kernels = heapKernels(heap);
      const simd = activation === 'relu' ? reluGradientHeap : activation === 'sigmoid' ? sigmoidGradientHeap : undefined;
      if (kernels && simd) kernels.run(simd, [{ tensor: y }, { tensor: dy }, { tensor: dz }], [n * units]);
      else activationGradientInJavaScript(activation, heap.typedArrayFromHeap(y), heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(dz));
    }
    const dKernelMatrix = runner.run('BatchMatMul', { a: reshape(x, [1, n, features]), b: reshape(dz, [1, n, units]) }, { transposeA: true, transposeB: false });
    const outputs = [dz, runner.result('Reshape', { x: dKernelMatrix }, { shape: [features, units] })];
    if (hasBias) outputs.push(runner.result('Sum', { x: dz }, { axis: [0], keepDims: false }));
    runner.dispose();
    return outputs;
  },
};
