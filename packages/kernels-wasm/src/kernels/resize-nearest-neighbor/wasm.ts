import type { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { upsampleNearest } from './heap.js';

/**
 * A faster `ResizeNearestNeighbor` on the wasm backend for up-sampling by
 * whole factors (Keras' `UpSampling2D`, in every convolutional decoder),
 * wrapping the backend's own kernel for other resizes: pixels copied
 * four channels at a time and rows copied whole, on the heap
 * (`upsample-nearest.c`).
 *
 * @param original - The wasm backend's own kernel.
 */
export function resizeNearestNeighborWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { images } = args.inputs as { images: tf.TensorInfo };
    const { alignCorners, halfPixelCenters, size } = args.attrs as unknown as {
      alignCorners: boolean;
      halfPixelCenters: boolean;
      size: [number, number];
    };
    const backend = args.backend as WasmHeapBackend;
    const [batch, height, width, channels] = images.shape as [number, number, number, number];
    const factors = wholeFactors([height, width], size);
    const kernels = heapKernels(backend);
    const heapReady = kernels && channels > 0 && channels % 4 === 0 && images.dtype === 'float32';
    if (!heapReady || !factors || alignCorners || halfPixelCenters) return original.kernelFunc(args);
    const out = backend.makeOutput([batch, size[0], size[1], channels], 'float32');
    kernels.run(upsampleNearest, [{ tensor: images }, { tensor: out }], [batch, height, width, channels, factors[0], factors[1]]);
    return out;
  });
}

/**
 * The up-sampling factors from `[height, width]` to `[outHeight, outWidth]`
 * when both are whole numbers of at least 1 (the only resizes whose
 * gradient is a block sum); otherwise `undefined`.
 * @internal
 */
export function wholeFactors(from: readonly number[], to: readonly number[]): [number, number] | undefined {
  const sh = to[0]! / from[0]!;
  const sw = to[1]! / from[1]!;
  return Number.isInteger(sh) && Number.isInteger(sw) && sh >= 1 && sw >= 1 ? [sh, sw] : undefined;
}
