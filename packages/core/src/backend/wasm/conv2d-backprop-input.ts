import { tf } from '../../tf.js';
import { KernelRunner } from './kernel-runner.js';

type Conv2DBackpropInputAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | number[][];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
};

/**
 * A faster `Conv2DBackpropInput` for the wasm backend, wrapping the one it
 * ships. For stride 1 the input gradient
 * `dx[b,i,j,ci] = sum_{kh,kw,co} dy[b, i+pt-kh, j+pl-kw, co] * W[kh,kw,ci,co]`
 * is a forward convolution of `dy`, padded by `k-1-p` on each side, with
 * the filter flipped in space and its channel axes swapped; the backend
 * runs that through XNNPACK, much faster than its direct loop. Strided
 * cases (such as a transposed convolution's forward pass) go to the
 * original kernel.
 *
 * @param original - The wasm backend's own kernel.
 */
export function conv2DBackpropInputWasm(original: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
      const stride = typeof strides === 'number' ? [strides, strides] : strides;
      if (stride[0] !== 1 || stride[1] !== 1 || (dataFormat !== undefined && dataFormat !== 'NHWC')) {
        return original.kernelFunc(args);
      }
      const filterShape = filter.shape as [number, number, number, number];
      const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, 1, 1, pad as 'same', dimRoundingMode);
      const kernels = new KernelRunner(backend as tf.KernelBackend, 'wasm');
      const flipped = kernels.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = kernels.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
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
    },
  };
}
