import { tf } from '@aekit/core';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, type LstmSequenceAttrs } from '@aekit/core/kernels';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels, type HeapRegion } from '../../heap/heap-kernels.js';
import { KernelRunner } from '../../shared/kernel-runner.js';
import { sumRows } from '../sum/heap.js';
import { lstmStep, lstmStepGradient, transposedProduct } from './heap.js';
import { lstmStepInJavaScript, lstmStepGradientInJavaScript, transposedProductInJavaScript } from './javascript.js';

/** The heap functions of a sequence, or their JavaScript loops where the heap kernels cannot run (no SIMD). */
interface StepFunctions {
  step(regions: (tf.TensorInfo | null)[], sizes: number[]): void;
  stepGradient(regions: (tf.TensorInfo | null)[], sizes: number[]): void;
  transposedProduct(regions: tf.TensorInfo[], sizes: number[]): void;
  columnSums(regions: tf.TensorInfo[], sizes: number[]): void;
}

function stepFunctions(backend: WasmHeapBackend): StepFunctions {
  const kernels = heapKernels(backend);
  const on = (regions: (tf.TensorInfo | null)[]): (HeapRegion | null)[] => regions.map((tensor) => (tensor ? { tensor } : null));
  if (kernels) {
    return {
      step: (regions, sizes) => kernels.run(lstmStep, on(regions), sizes),
      stepGradient: (regions, sizes) => kernels.run(lstmStepGradient, on(regions), sizes),
      transposedProduct: (regions, sizes) => kernels.run(transposedProduct, on(regions), sizes),
      columnSums: (regions, sizes) => kernels.run(sumRows, on(regions), sizes),
    };
  }
  // Views taken at the call, after the last allocation (which may have moved the heap).
  const views = (regions: (tf.TensorInfo | null)[]) => regions.map((t) => (t ? backend.typedArrayFromHeap(t) : null));
  return {
    step: (regions, sizes) => lstmStepInJavaScript(views(regions), sizes),
    stepGradient: (regions, sizes) => lstmStepGradientInJavaScript(views(regions), sizes),
    transposedProduct: (regions, sizes) => transposedProductInJavaScript(views(regions) as Float32Array[], sizes),
    columnSums: (regions, sizes) => {
      const [src, dst] = views(regions) as Float32Array[];
      const [rows, cols] = sizes as [number, number];
      dst!.fill(0);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst![c]! += src![r * cols + c]!;
    },
  };
}

type LstmInputs = { x: tf.TensorInfo; kernel: tf.TensorInfo; recurrentKernel: tf.TensorInfo };

function sequenceSizes({ x, recurrentKernel }: LstmInputs): { batch: number; steps: number; features: number; units: number } {
  const [batch, steps, features] = x.shape as [number, number, number];
  return { batch, steps, features, units: recurrentKernel.shape[0]! };
}

/**
 * {@link LSTM_SEQUENCE} on the wasm backend: `x W + b` for every step in one
 * XNNPACK product (the backend's `_FusedMatMul`), then per step the
 * recurrent product `h_{t-1} R` (XNNPACK, `R` packed once and cached by the
 * backend) and the gate arithmetic in one SIMD pass (`lstm-step.c`). tfjs'
 * LSTM layer runs about fifteen kernels a step, each recorded on the tape.
 */
export const lstmSequenceWasm: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const { x, kernel, recurrentKernel, bias } = inputs as LstmInputs & { bias: tf.TensorInfo };
    const { batch, steps, features, units } = sequenceSizes({ x, kernel, recurrentKernel });
    const hard = (attrs as unknown as LstmSequenceAttrs).recurrentActivation === 'hardSigmoid' ? 1 : 0;
    const runner = new KernelRunner(heap, 'wasm');
    const functions = stepFunctions(heap);
    const reshape = (t: tf.TensorInfo, shape: number[]) => runner.run('Reshape', { x: t }, { shape });
    const inputProducts = runner.run(
      '_FusedMatMul',
      { a: reshape(x, [1, batch * steps, features]), b: reshape(kernel, [1, features, 4 * units]), bias },
      { transposeA: false, transposeB: false, activation: 'linear' },
    );
    // The outputs: z shares the products' memory, which the steps complete in place.
    const z = runKernel(heap, 'Reshape', { x: inputProducts }, { shape: [batch, steps, 4 * units] });
    const c = heap.makeOutput([batch, steps, units], 'float32');
    const h = heap.makeOutput([batch, steps, units], 'float32');
    const hStep = runner.adopt(heap.makeOutput([batch, units], 'float32'));
    const previousOutput = reshape(hStep, [1, batch, units]);
    const recurrentMatrix = reshape(recurrentKernel, [1, units, 4 * units]);
    for (let step = 0; step < steps; step++) {
      const recurrent = step > 0 ? runKernel(heap, 'BatchMatMul', { a: previousOutput, b: recurrentMatrix }, { transposeA: false, transposeB: false }) : null;
      functions.step([z, recurrent, c, h, hStep], [batch, steps, units, step, hard]);
      if (recurrent) heap.disposeData(recurrent.dataId);
    }
    runner.dispose();
    return [h, c, z];
  },
};

/**
 * {@link LSTM_SEQUENCE_GRAD} on the wasm backend: per step, backwards, the
 * gate gradients in one SIMD pass (`lstm-step-gradient.c`) and the product
 * `dz_t R^T` carried to the step before (XNNPACK); then over all steps at
 * once `dx = dz W^T` (XNNPACK), the weights' gradients `x^T dz` and
 * `h_{t-1}^T dz_t` summed in place (`transposed-product.c`: the backend
 * would transpose `x` and pack `dz` first, most of the time this took) and
 * the bias's as column sums.
 */
export const lstmSequenceGradWasm: tf.KernelConfig = {
  kernelName: LSTM_SEQUENCE_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const heap = backend as WasmHeapBackend;
    const { x, kernel, recurrentKernel, h, c, z, dh } = inputs as LstmInputs & Record<'h' | 'c' | 'z' | 'dh', tf.TensorInfo>;
    const { batch, steps, features, units } = sequenceSizes({ x, kernel, recurrentKernel });
    const hard = (attrs as unknown as LstmSequenceAttrs).recurrentActivation === 'hardSigmoid' ? 1 : 0;
    const runner = new KernelRunner(heap, 'wasm');
    const functions = stepFunctions(heap);
    const reshape = (t: tf.TensorInfo, shape: number[]) => runner.run('Reshape', { x: t }, { shape });
    // R^T once, so that the backend packs it once for every step's product.
    const recurrentTransposed = reshape(runner.run('Transpose', { x: recurrentKernel }, { perm: [1, 0] }), [1, 4 * units, units]);
    const dz = runner.adopt(heap.makeOutput([batch, steps, 4 * units], 'float32'));
    const dzStep = runner.adopt(heap.makeOutput([batch, 4 * units], 'float32'));
    const dcNext = runner.adopt(heap.makeOutput([batch, units], 'float32'));
    const dzStepMatrix = reshape(dzStep, [1, batch, 4 * units]);
    let dhRecurrent: tf.TensorInfo | null = null;
    for (let step = steps - 1; step >= 0; step--) {
      functions.stepGradient([z, c, dh, dhRecurrent, dcNext, dz, dzStep], [batch, steps, units, step, hard]);
      if (dhRecurrent) heap.disposeData(dhRecurrent.dataId);
      dhRecurrent = step > 0 ? runKernel(heap, 'BatchMatMul', { a: dzStepMatrix, b: recurrentTransposed }, { transposeA: false, transposeB: false }) : null;
    }
    const dzAll = reshape(dz, [1, batch * steps, 4 * units]);
    const dxRows = runner.run('BatchMatMul', { a: dzAll, b: reshape(kernel, [1, features, 4 * units]) }, { transposeA: false, transposeB: true });
    const dx = runKernel(heap, 'Reshape', { x: dxRows }, { shape: [batch, steps, features] });
    const dKernel = heap.makeOutput([features, 4 * units], 'float32');
    functions.transposedProduct([x, dz, dKernel], [batch, steps, features, 4 * units, 0]);
    const dRecurrent = heap.makeOutput([units, 4 * units], 'float32');
    functions.transposedProduct([h, dz, dRecurrent], [batch, steps, units, 4 * units, 1]);
    const dBias = heap.makeOutput([4 * units], 'float32');
    functions.columnSums([dz, dBias], [batch * steps, 4 * units]);
    runner.dispose();
    return [dx, dKernel, dRecurrent, dBias];
  },
};

/** Runs one of the backend's kernels for a result that outlives the runner's temporaries. */
function runKernel(backend: tf.KernelBackend, name: string, inputs: Record<string, tf.TensorInfo>, attrs: object): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}
