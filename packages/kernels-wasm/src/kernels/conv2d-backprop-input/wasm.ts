import { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import type { ConvolutionGradientAttrs } from '../../shared/convolution-attrs.js';
import { KernelRunner } from '../../shared/kernel-runner.js';

type Conv2DBackpropInputAttrs = ConvolutionGradientAttrs & { inputShape: [number, number, number, number] };

/**
 * A faster `Conv2DBackpropInput` for the wasm backend, wrapping the one it
 * ships. For stride 1 the input gradient
 * `dx[b,i,j,ci] = sum_{kh,kw,co} dy[b, i+pt-kh, j+pl-kw, co] * W[kh,kw,ci,co]`
 * is a forward convolution of `dy`, padded by `k-1-p` on each side, with
 * the filter flipped in space and its channel axes swapped; the backend
 * runs that through XNNPACK, much faster than its direct loop. With a
 * stride `s` above 1 (a transposed convolution's forward pass, as in the
 * convolutional VAE's decoder) the same holds once `dy` is spread out:
 * written into a zero buffer with `s - 1` zeros between neighbours and the
 * padding around it, then convolved with stride 1. A quarter of the
 * products are with zeros at stride 2, still far faster than the direct
 * loop, which took most of a convolutional VAE's training step.
 *
 * @param original - The wasm backend's own kernel.
 */
export function conv2DBackpropInputWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const stride = typeof strides === 'number' ? [strides, strides] : strides;
    if ((dataFormat !== undefined && dataFormat !== 'NHWC') || dy.dtype !== 'float32') return original.kernelFunc(args);
    const filterShape = filter.shape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, stride as [number, number], 1, pad as 'same', dimRoundingMode);
    const kernels = new KernelRunner(backend as tf.KernelBackend, 'wasm');
    // Written before any kernel runs: the heap views it takes stay valid only until the next allocation.
    const spread = stride[0] !== 1 || stride[1] !== 1 ? kernels.adopt(spreadOut(backend as WasmHeapBackend, dy, info)) : undefined;
    const flipped = kernels.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = kernels.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    if (spread) {
      const dx = kernels.run('Conv2D', { x: spread, filter: swapped }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC' });
      return kernels.finish(dx);
    }
    const { top, bottom, left, right } = info.padInfo;
    const [kh, kw] = filterShape;
    const dx = kernels.run(
      'Conv2D',
      { x: dy, filter: swapped },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]],
        dataFormat: 'NHWC',
      },
    );
    return kernels.finish(dx);
  });
}

/**
 * `dy` `[n, oh, ow, co]` written into zeros `[n, h + kh - 1, w + kw - 1, co]`:
 * output position `(oy, ox)` lands at `(oy*sh + kh-1-top, ox*sw + kw-1-left)`,
 * so that a stride-1 'valid' convolution with the flipped filter gives `dx`.
 */
function spreadOut(backend: WasmHeapBackend, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const height = inHeight + filterHeight - 1;
  const width = inWidth + filterWidth - 1;
  const spread = backend.makeOutput([batchSize, height, width, outChannels], 'float32');
  // Views into the heap, taken after the only allocation.
  const source = backend.typedArrayFromHeap(dy);
  const target = backend.typedArrayFromHeap(spread);
  target.fill(0);
  const rowOffset = filterHeight - 1 - info.padInfo.top;
  const columnOffset = filterWidth - 1 - info.padInfo.left;
  let from = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const r = oy * strideHeight + rowOffset;
      for (let ox = 0; ox < outWidth; ox++, from += outChannels) {
        const c = ox * strideWidth + columnOffset;
        // Outside the buffer means outside dx: such products never reach an input position.
        if (r < 0 || r >= height || c < 0 || c >= width) continue;
        target.set(source.subarray(from, from + outChannels), ((b * height + r) * width + c) * outChannels);
      }
    }
  }
  return spread;
}
