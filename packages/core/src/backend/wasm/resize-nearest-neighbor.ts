import type { tf } from '../../tf.js';
import { replaceKernelFunc } from '../replace-kernel.js';
import { heapOffset, type WasmHeapBackend } from './heap-backend.js';
import { heapKernels } from './heap-kernels.js';

/**
 * A faster `ResizeNearestNeighbor` on the wasm backend for up-sampling by
 * whole factors (Keras' `UpSampling2D`, in every convolutional decoder),
 * wrapping the backend's own kernel for other resizes: pixels copied
 * four channels at a time and rows copied whole, on the heap
 * (`wasm/heap-kernels.wat`).
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
    const factors = wholeFactors(images.shape, size);
    const kernels = heapKernels(backend);
    if (!kernels || !factors || alignCorners || halfPixelCenters || images.dtype !== 'float32') return original.kernelFunc(args);
    const [batch, height, width, channels] = images.shape as [number, number, number, number];
    const out = backend.makeOutput([batch, size[0], size[1], channels], 'float32');
    kernels.upsampleNearest(heapOffset(backend, images), heapOffset(backend, out), batch, height, width, channels, factors[0], factors[1]);
    return out;
  });
}

/**
 * The whole up-sampling factors from an NHWC `shape` to `size` (height,
 * width), when both are whole, at least 1, and the heap kernel can take the
 * channel count (a positive multiple of 4); otherwise `undefined`.
 */
function wholeFactors(shape: readonly number[], size: readonly number[]): [number, number] | undefined {
  const [, height, width, channels] = shape as [number, number, number, number];
  const sh = size[0]! / height;
  const sw = size[1]! / width;
  const whole = Number.isInteger(sh) && Number.isInteger(sw) && sh >= 1 && sw >= 1;
  return whole && channels > 0 && channels % 4 === 0 ? [sh, sw] : undefined;
}
