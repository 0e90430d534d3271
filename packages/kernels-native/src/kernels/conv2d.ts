import { tf } from '@aekit/core';
import { windowGeometry } from '@aekit/kernels-wasm/heap';
import { ACTIVATIONS, conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../contracts.js';
import { nativeKernel } from './native-wrapper.js';

type Padding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

interface ConvAttrs {
  strides: number | [number, number];
  pad: Padding;
  dataFormat?: 'NHWC' | 'NCHW' | 'channelsLast';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  leakyreluAlpha?: number;
  inputShape?: Shape4;
  filterShape?: Shape4;
}

/** The window of a convolution the native kernels take, or undefined (NCHW, dilation, another dtype). */
function nativeWindow(x: Shape4, filter: Shape4, attrs: ConvAttrs, dtypes: tf.DataType[]): tf.backend_util.Conv2DInfo | undefined {
  const format = attrs.dataFormat ?? 'NHWC';
  if ((format !== 'NHWC' && format !== 'channelsLast') || dtypes.some((d) => d !== 'float32')) return undefined;
  const info = tf.backend_util.computeConv2DInfo(x, filter, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode);
  return info.dilationHeight === 1 && info.dilationWidth === 1 ? info : undefined;
}

/** `Conv2D` and `FusedConv2D` natively: im2col and Eigen's product on every core, the bias and activation fused. */
function convolution(name: 'Conv2D' | 'FusedConv2D') {
  return nativeKernel(name, 'convolutions natively, im2col and a product per block of images on every core, with their bias and activation', ({ inputs, attrs, backend, heap }) => {
    const { x, filter, bias } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
    const conv = attrs as unknown as ConvAttrs;
    const activation = ACTIVATIONS[conv.activation ?? 'linear'];
    const info = activation === undefined ? undefined : nativeWindow(x.shape as Shape4, filter.shape as Shape4, conv, [x.dtype, filter.dtype]);
    if (!info || (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== info.outChannels))) return undefined;
    const y = backend.makeOutput(info.outShape, 'float32');
    heap.run(conv2d, [{ tensor: x }, { tensor: filter }, bias ? { tensor: bias } : null, { tensor: y }], [...windowGeometry(info), info.outChannels, activation!], [
      conv.leakyreluAlpha ?? 0.2,
    ]);
    return y;
  });
}

export const nativeConv2D = convolution('Conv2D');
export const nativeFusedConv2D = convolution('FusedConv2D');

/** `Conv2DBackpropInput` natively: `dy` times the filter's transpose, added back onto the image (col2im). */
export const nativeConv2DBackpropInput = nativeKernel('Conv2DBackpropInput', "a convolution's input gradient natively (products, then col2im)", ({ inputs, attrs, backend, heap }) => {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const conv = attrs as unknown as ConvAttrs;
  const info = nativeWindow(conv.inputShape!, filter.shape as Shape4, conv, [dy.dtype, filter.dtype]);
  if (!info) return undefined;
  const dx = backend.makeOutput(info.inShape, 'float32');
  heap.run(conv2dBackpropInput, [{ tensor: dy }, { tensor: filter }, { tensor: dx }], [...windowGeometry(info), info.outChannels]);
  return dx;
});

/** `Conv2DBackpropFilter` natively: im2col of `x` times `dy`, summed per thread, then across threads. */
export const nativeConv2DBackpropFilter = nativeKernel(
  'Conv2DBackpropFilter',
  "a convolution's filter gradient natively (im2col and products, summed over every core)",
  ({ inputs, attrs, backend, heap }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const conv = attrs as unknown as ConvAttrs;
    const info = nativeWindow(x.shape as Shape4, conv.filterShape!, { ...conv, dilations: 1 }, [x.dtype, dy.dtype]);
    if (!info) return undefined;
    const dw = backend.makeOutput(conv.filterShape!, 'float32');
    heap.run(conv2dBackpropFilter, [{ tensor: x }, { tensor: dy }, { tensor: dw }], [...windowGeometry(info), info.outChannels]);
    return dw;
  },
);
