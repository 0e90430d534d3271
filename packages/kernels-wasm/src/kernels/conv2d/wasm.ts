import { tf } from '@aekit/core';
import { replaceKernelFunc } from '../../shared/replace-kernel.js';
import type { WasmHeapBackend } from '../../heap/heap-backend.js';
import { heapKernels } from '../../heap/heap-kernels.js';
import { windowGeometry } from '../../heap/window.js';
import { singleInputConvolution, singleOutputConvolution } from './heap.js';
import { KernelRunner } from '../../shared/kernel-runner.js';

type Conv2DAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  leakyreluAlpha?: number;
};

/** The backend kernel each fused activation runs as, after the convolution. */
const ACTIVATION_KERNELS: Record<string, string> = {
  relu: 'Relu',
  relu6: 'Relu6',
  elu: 'Elu',
  sigmoid: 'Sigmoid',
  leakyrelu: 'LeakyRelu',
  prelu: 'Prelu',
};

/**
 * Faster `Conv2D` and `FusedConv2D` on the wasm backend for layers with one
 * channel on either side, wrapping the backend's own kernel for every
 * other layer:
 *
 * - one output channel and a multiple of 4 input channels (an image
 *   decoder's last layer): XNNPACK computes output channels in blocks of
 *   8, so for one channel it does eight times the work; here they are dot
 *   products on the heap, two outputs per filter load;
 * - one input channel and a multiple of 4 output channels, at least 16 (an
 *   encoder's first layer, and through the wrapped `Conv2DBackpropInput` the
 *   input gradient of a decoder's last), which XNNPACK runs as a product
 *   with one input channel; here two pixels at a time of sixteen channels.
 *
 * Both run on the heap (`single-output-convolution.c`, `single-input-convolution.c`;
 * `node bench/kernels.mjs` times them against XNNPACK). A fused activation runs afterwards,
 * as the backend's own kernel.
 *
 * @param original - The wasm backend's own kernel.
 */
export function conv2DWasm(original: tf.KernelConfig): tf.KernelConfig {
  return replaceKernelFunc(original, (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as Conv2DAttrs;
    const backend = args.backend as WasmHeapBackend;
    const [, , inChannels, outChannels] = filter!.shape as [number, number, number, number];
    const activation = attrs.activation ?? 'linear';
    const biasSize = bias?.shape.reduce((a, b) => a * b, 1);
    const shape =
      outChannels === 1 && inChannels % 4 === 0 && (biasSize === undefined || biasSize === 1)
        ? 'singleOutput'
        : inChannels === 1 && outChannels % 4 === 0 && outChannels >= 16 && (biasSize === undefined || biasSize === outChannels)
          ? 'singleInput'
          : undefined;
    const supported =
      shape !== undefined &&
      x!.dtype === 'float32' &&
      (attrs.dataFormat ?? 'NHWC') === 'NHWC' &&
      (activation === 'linear' || activation in ACTIVATION_KERNELS);
    const kernels = supported ? heapKernels(backend) : undefined;
    if (!kernels) return original.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(
      x!.shape as [number, number, number, number],
      filter!.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return original.kernelFunc(args);
    const runner = new KernelRunner(backend, 'wasm');
    const y = runner.adopt(backend.makeOutput(info.outShape, 'float32'));
    const regions = [{ tensor: x! }, { tensor: filter! }, bias ? { tensor: bias } : null, { tensor: y }];
    if (shape === 'singleOutput') kernels.run(singleOutputConvolution, regions, windowGeometry(info));
    else kernels.run(singleInputConvolution, regions, windowGeometry(info, outChannels));
    if (activation === 'linear') return runner.finish(y);
    const activationInputs: Record<string, tf.TensorInfo> = { x: y };
    if (activation === 'prelu') activationInputs.alpha = preluActivationWeights!;
    return runner.finish(runner.run(ACTIVATION_KERNELS[activation]!, activationInputs, { alpha: attrs.leakyreluAlpha }));
  });
}
