import { tf } from '@aekit/core';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { windowGeometry } from '../../heap/window.js';
import { filterGradient } from './heap.js';
import type { ConvolutionGradientAttrs } from '../../shared/convolution-attrs.js';
import { KernelRunner } from '../../shared/kernel-runner.js';

type Conv2DBackpropFilterAttrs = ConvolutionGradientAttrs & { filterShape: [number, number, number, number] };

/**
 * Below this many output channels (an image decoder's last layer has one),
 * when the direct sum does not apply (more than 32 input channels, say),
 * the stride-1 filter gradient swaps the roles of `x` and `dy`: XNNPACK
 * computes output channels in blocks of 8, so with `dy` as the filter a
 * one-channel layer would do 8 times the work; with `x` as the filter the
 * outputs are its channels. Both ways transpose `x`.
 */
const FEW_OUTPUT_CHANNELS = 4;

/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships without it (so
 * no convolutional model could train there).
 *
 * Layers with few channels (up to 32 a side) are summed directly on the
 * heap (`directFilterGradient`). For the others, the filter gradient
 * `dW[kh,kw,ci,co] = sum_{b,oh,ow} x[b, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[b,oh,ow,co]`
 * is itself a forward convolution, which the wasm backend runs through
 * XNNPACK: transpose `x` so that its channels become the batch and its batch
 * the channels (`[ci, h, w, b]`), use `dy` as the filter (`[oh, ow, b, co]`)
 * with the original stride as dilation, and transpose the `[ci, kh, kw, co]`
 * result back. (The backend's native 3-D filter gradient would also fit, but
 * it gives wrong results for strides above one: `conv2d-backprop-filter.test.ts`
 * asserts it still does, and fails once tfjs is fixed.)
 */
export const conv2DBackpropFilterWasm: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`wasm Conv2DBackpropFilter supports only NHWC data, got ${dataFormat}`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad as 'same',
      dimRoundingMode,
    );
    const direct = directFilterGradient(backend as WasmHeapBackend, x, dy, info);
    if (direct) return direct;
    const kernels = new KernelRunner(backend as tf.KernelBackend, 'wasm');
    if (info.outChannels < FEW_OUTPUT_CHANNELS && info.strideHeight === 1 && info.strideWidth === 1) {
      return kernels.finish(filterGradientForFewOutputs(kernels, x, dy, info));
    }

    // Padding after the input so that the output is exactly kh x kw; it is
    // negative when a 'valid' convolution never reached the last rows or
    // columns, and then those are cut off instead.
    const [, h, w] = x.shape;
    const { top, left } = info.padInfo;
    const bottom = info.filterHeight + (info.outHeight - 1) * info.strideHeight - h - top;
    const right = info.filterWidth + (info.outWidth - 1) * info.strideWidth - w - left;

    let xt = kernels.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    if (bottom < 0 || right < 0) {
      const size = [xt.shape[0], h + Math.min(0, bottom), w + Math.min(0, right), xt.shape[3]];
      xt = kernels.run('Slice', { x: xt }, { begin: [0, 0, 0, 0], size });
    }
    const dyAsFilter = kernels.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const product = kernels.run(
      'Conv2D',
      { x: xt, filter: dyAsFilter },
      {
        strides: [1, 1],
        dilations: [info.strideHeight, info.strideWidth],
        pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
        dataFormat: 'NHWC',
      },
    );
    const dw = kernels.run('Transpose', { x: product }, { perm: [1, 2, 0, 3] });
    return kernels.finish(dw);
  },
};

/**
 * The most channels on either side for which the filter gradient is summed
 * directly on the heap rather than run as an XNNPACK convolution: the
 * direct sum reads each side once, while XNNPACK first repacks a whole
 * tensor as its filter; past this width XNNPACK's blocked multiply catches
 * up (`node bench/kernels.mjs` times both routes; bench/results-kernels.md).
 */
const DIRECT_MAX_CHANNELS = 32;

/**
 * The shortest output row for which the direct sum pays when both sides
 * have several channels: its loop restarts for every row, tap and channel,
 * so on short rows that overhead outweighs the repacking it saves.
 * One-channel layers always pay (`node bench/kernels.mjs` compares the routes).
 */
const DIRECT_MIN_ROW = 7;

/**
 * The filter gradient of a layer with few channels (every layer of the
 * MNIST convolutional autoencoders), summed directly on the heap
 * (`filter-gradient.c`): the side with more channels (a multiple of 4)
 * as vectors, the other one channel at a time. Either XNNPACK route makes
 * one of the big tensors a filter, repacked on every call, which costs
 * most of such a layer's gradient. `undefined` for other layers, or where
 * the heap kernels cannot run.
 */
function directFilterGradient(backend: WasmHeapBackend, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo | undefined {
  const { inChannels, outChannels, dilationHeight, dilationWidth } = info;
  // dy is the wide side on ties: its layout is then the filter's own.
  const xIsWide = inChannels > outChannels;
  const [wide, scalar] = xIsWide ? [inChannels, outChannels] : [outChannels, inChannels];
  const pays = scalar === 1 || info.outWidth >= DIRECT_MIN_ROW;
  const fits = wide % 4 === 0 && wide <= DIRECT_MAX_CHANNELS && pays && dilationHeight === 1 && dilationWidth === 1;
  if (!fits || x.dtype !== 'float32') return undefined;
  const kernels = heapKernels(backend);
  if (!kernels) return undefined;
  const runner = new KernelRunner(backend, 'wasm');
  const { filterHeight, filterWidth } = info;
  // [kh, kw, scalar, wide] is the filter's own layout unless x is the wide side of several outputs.
  const needsTranspose = xIsWide && outChannels > 1;
  const shape = needsTranspose ? [filterHeight, filterWidth, scalar, wide] : [filterHeight, filterWidth, inChannels, outChannels];
  const summed = runner.adopt(backend.makeOutput(shape, 'float32'));
  kernels.run(filterGradient, [{ tensor: x }, { tensor: dy }, { tensor: summed }], [...windowGeometry(info, wide), scalar, xIsWide ? 1 : 0]);
  if (!needsTranspose) return runner.finish(summed);
  // [kh, kw, co, ci] -> [kh, kw, ci, co]
  return runner.finish(runner.run('Transpose', { x: summed }, { perm: [0, 1, 3, 2] }));
}

/**
 * The stride-1 filter gradient with `x` as the filter and `dy` as the
 * input: `dy` transposed to `[co, oh, ow, b]` (its batch as channels),
 * `x` to `[h, w, b, ci]`, and a convolution whose padding makes the output
 * exactly `[co, kh, kw, ci]`, spatially flipped; the flip and a transpose
 * give `[kh, kw, ci, co]`. Output channels are now `ci`.
 */
function filterGradientForFewOutputs(kernels: KernelRunner, x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const xAsFilter = kernels.run('Transpose', { x }, { perm: [1, 2, 0, 3] });
  const dyAsInput = kernels.run('Transpose', { x: dy }, { perm: [3, 1, 2, 0] });
  const product = kernels.run(
    'Conv2D',
    { x: dyAsInput, filter: xAsFilter },
    {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [
        [0, 0],
        [filterHeight - 1 - top, inHeight - outHeight + top],
        [filterWidth - 1 - left, inWidth - outWidth + left],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  const unflipped = kernels.run('Reverse', { x: product }, { dims: [1, 2] });
  return kernels.run('Transpose', { x: unflipped }, { perm: [1, 2, 3, 0] });
}
