/**
 * Native kernels for aekit in Node. Importing this module registers the
 * `native` backend with `@aekit/core` (tfjs' wasm backend, with the heavy
 * kernels run natively on every core in place on its heap) and its kernels
 * through core's kernel hook, after `@aekit/kernels-wasm`'s, which they wrap.
 *
 * @packageDocumentation
 */
import { registerBackendProvider, tf, useKernels, type BackendProvider, type BackendWork, type KernelPackage } from '@aekit/core';
import { registerWasmKernels, type AekitKernel } from '@aekit/kernels-wasm';
import { NATIVE_FASTER } from './measured-speed.js';
import { nativeBinding, setNativeActive } from './native-state.js';
import { nativeBatchMatMul, nativeFusedMatMul } from './kernels/mat-mul.js';
import { nativeConv2D, nativeConv2DBackpropFilter, nativeConv2DBackpropInput, nativeFusedConv2D } from './kernels/conv2d.js';
import { nativeSigmoid } from './kernels/sigmoid.js';
import { nativeUnitFloatsFromBytes } from './kernels/unit-floats-from-bytes.js';
import { nativeDense, nativeDenseGrad } from './kernels/dense.js';

/**
 * The kernels that run natively on the `native` backend, each wrapping the
 * wasm backend's (and aekit's wasm kernel where it has one), which still
 * runs every case the native one does not take. The heap functions of
 * aekit's wasm kernels that the addon also implements (the loss and its
 * gradient, Adam, the bias, the ReLU's gradient, column sums, pooling and
 * up-sampling gradients, the LSTM sequence's steps and weights' gradients)
 * switch to native through the same contracts.
 */
export const NATIVE_KERNELS: readonly AekitKernel[] = [
  nativeBatchMatMul,
  nativeFusedMatMul,
  nativeConv2D,
  nativeFusedConv2D,
  nativeConv2DBackpropInput,
  nativeConv2DBackpropFilter,
  nativeSigmoid,
  nativeUnitFloatsFromBytes,
  nativeDense,
  nativeDenseGrad,
];

/** What the native kernels run with here, or why they cannot run. */
export type NativeKernelsInfo = { available: true; isa: string; threads: number } | { available: false; reason: string };

/**
 * Whether the native kernels can run here and with what: the instruction
 * set chosen from the CPU's features (`avx512`, `avx2` or `sse2`) and the
 * threads they use.
 *
 * @example
 * ```ts
 * import { nativeKernelsInfo } from '@aekit/kernels-native';
 * console.log(nativeKernelsInfo()); // { available: true, isa: 'avx2', threads: 2 }
 * ```
 */
export function nativeKernelsInfo(): NativeKernelsInfo {
  const { binding, reason } = nativeBinding();
  if (!binding) return { available: false, reason };
  return { available: true, ...binding.info() };
}

/**
 * Sets how many threads the native kernels use (all cores by default, or
 * `AEKIT_NATIVE_THREADS`).
 *
 * @param threads - Threads, the calling one included, from 1 to 256.
 * @throws Error when the native kernels cannot run here.
 */
export function setNativeThreads(threads: number): void {
  const { binding, reason } = nativeBinding();
  if (!binding) throw new Error(`the native kernels cannot run here: ${reason}`);
  binding.setThreads(threads);
}

/**
 * Whether `auto` picks the native kernels for `work`: only for a family on
 * which `pnpm bench` measured them faster than wasm in the same run
 * (bench/results.json, copied into `measured-speed.ts` by
 * `scripts/speed-summary.mjs`).
 *
 * @param work - What the backend is for.
 * @param measured - The families measured faster (the last bench's by default).
 */
export function nativePreferred(work: BackendWork, measured: readonly string[] = NATIVE_FASTER.families): boolean {
  return work.family !== undefined && measured.includes(work.family);
}

export { NATIVE_FASTER };

/**
 * The `native` backend: tfjs' wasm backend with the heavy kernels run
 * natively, in place on its heap. Registered with aekit when this package
 * is imported; `useBackend('native')` selects it, and `useBackend('auto', {
 * family })` picks it where the prebuilt binary loads and only for the
 * families of {@link NATIVE_FASTER} ({@link nativePreferred}); otherwise it
 * stays opt-in.
 */
export const nativeBackend: BackendProvider = {
  name: 'native',
  tfjsBackend: 'wasm',
  unavailable: () => nativeBinding().reason,
  activate: setNativeActive,
  threads: () => nativeBinding().binding?.info().threads ?? 1,
  prefers: (work) => nativePreferred(work),
};

/** Wrap functions already applied: registering again (every `useBackend` does) changes nothing. */
const applied = new WeakSet<object>();

/**
 * Wraps each backend kernel of {@link NATIVE_KERNELS} (as registered then:
 * aekit's wasm wrapper where it has one) with its native twin. Idempotent.
 */
function registerNativeKernels(): void {
  for (const kernel of NATIVE_KERNELS) {
    for (const { backend, wrap } of kernel.wraps ?? []) {
      const own = tf.getKernel(kernel.name, backend);
      if (!own || applied.has(wrap)) continue;
      tf.unregisterKernel(kernel.name, backend);
      tf.registerKernel(wrap(own));
      applied.add(wrap);
    }
  }
}

/**
 * This package as core's kernel hook takes it; worker threads of `fit`
 * import this module (which registers the backend there too) and add it.
 */
export const kernels: KernelPackage = {
  name: '@aekit/kernels-native',
  module: import.meta.url,
  register: registerNativeKernels,
};

// The wasm kernels first: the native ones wrap them, and fall back to them.
registerWasmKernels();
useKernels(kernels);
registerBackendProvider(nativeBackend);
