import { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { windowGeometry } from '../../heap/window.js';
import { maxPoolGradient } from './heap.js';

type MaxPoolGradAttrs = {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * A faster `MaxPoolGrad` for the wasm backend, wrapping the one it ships
 * (a slow loop, and one that every pooling layer's gradient runs). Each window's gradient goes to the first position holding its
 * maximum, as in tfjs' reference cpu kernel; that matters for ties, which
 * are everywhere in MNIST's blank background. Windows that do not overlap
 * (2x2 pooling by 2) with a multiple of 4 channels run as a SIMD loop on
 * the heap (`max-pool-gradient.c`), four channels a step; other windows
 * take a JavaScript loop (walking each once per channel, also on the
 * heap), still faster than tfjs' own kernel (`node bench/kernels.mjs`).
 *
 * @param original - The wasm backend's own kernel, for other data types.
 */
export function maxPoolGradWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return original.kernelFunc(args);
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const backend = args.backend as WasmHeapBackend;
    const dx = backend.makeOutput(input.shape, 'float32');
    const kernels = heapKernels(backend);
    const disjoint = info.strideHeight >= info.filterHeight && info.strideWidth >= info.filterWidth;
    if (kernels && disjoint && info.inChannels % 4 === 0 && info.dilationHeight === 1 && info.dilationWidth === 1) {
      kernels.run(maxPoolGradient, [{ tensor: input }, { tensor: dy }, { tensor: dx }], windowGeometry(info));
      return dx;
    }
    // Views into the heap, taken after the only allocation.
    maxPoolGradInto(backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(dx), info);
    return dx;
  });
}

/**
 * Writes the max-pooling gradient of `x` (NHWC) for the output gradient
 * `dy` into `dx`.
 * @internal
 */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, dx: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  dx.fill(0);
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yFrom = Math.max(0, y0);
      const yTo = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++, dyIndex += channels) {
        const x0 = ox * strideWidth - left;
        const xFrom = Math.max(0, x0);
        const xTo = Math.min(inWidth, x0 + filterWidth);
        for (let c = 0; c < channels; c++) {
          // Row by row, column by column: the first maximum wins, as in tfjs' cpu kernel.
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let y = yFrom; y < yTo; y++) {
            const row = (image + y) * inWidth;
            for (let xx = xFrom; xx < xTo; xx++) {
              const i = (row + xx) * channels + c;
              const v = x[i]!;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += dy[dyIndex + c]!;
        }
      }
    }
  }
}
