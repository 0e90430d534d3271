import { tf } from '../../tf.js';
import { KernelRunner } from './kernel-runner.js';

type Conv2DBackpropFilterAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | number[][];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships without it (so
 * no convolutional model could train there).
 *
 * The filter gradient `dW[kh,kw,ci,co] = sum_{b,oh,ow} x[b, oh*s+kh-pt, ow*s+kw-pl, ci] * dy[b,oh,ow,co]`
 * is itself a forward convolution, which the wasm backend runs through
 * XNNPACK: transpose `x` so that its channels become the batch and its batch
 * the channels (`[ci, h, w, b]`), use `dy` as the filter (`[oh, ow, b, co]`)
 * with the original stride as dilation, and transpose the `[ci, kh, kw, co]`
 * result back. (The backend's native 3-D filter gradient would also fit, but
 * it gives wrong results for strides above one in tfjs 4.22.)
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
    const kernels = new KernelRunner(backend as tf.KernelBackend, 'wasm');

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
