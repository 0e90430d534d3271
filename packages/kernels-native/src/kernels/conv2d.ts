import { tf } from '@aekit/core';
import { replaceKernelFunc, type AekitKernel } from '@aekit/kernels-wasm';
import { heapKernels, windowGeometry, type WasmHeapBackend } from '@aekit/kernels-wasm/heap';
import { ACTIVATIONS, conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../contracts.js';
import { nativeActive } from '../native-state.js';

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

/** The heap kernels where the native ones run (the `native` backend is in use), else undefined. */
function nativeKernels(backend: unknown) {
  return nativeActive() ? heapKernels(backend as WasmHeapBackend) : undefined;
}

/** `Conv2D` and `FusedConv2D` natively: im2col and Eigen's product on every core, the bias and activation fused. */
function convolution(name: 'Conv2D' | 'FusedConv2D'): AekitKernel {
  return {
    name,
    summary: 'convolutions natively, im2col and a product per block of images on every core, with their bias and activation',
    wraps: [
      {
        backend: 'wasm',
        wrap: (original) =>
          replaceKernelFunc(original, (args) => {
            const { x, filter, bias } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo };
            const attrs = args.attrs as unknown as ConvAttrs;
            const kernels = nativeKernels(args.backend);
            const activation = ACTIVATIONS[attrs.activation ?? 'linear'];
            const info = kernels && activation !== undefined ? nativeWindow(x.shape as Shape4, filter.shape as Shape4, attrs, [x.dtype, filter.dtype]) : undefined;
            const biasFits = !bias || (bias.dtype === 'float32' && tf.util.sizeFromShape(bias.shape) === info?.outChannels);
            if (!kernels || !info || !biasFits) return original.kernelFunc(args);
            const y = (args.backend as WasmHeapBackend).makeOutput(info.outShape, 'float32');
            kernels.run(
              conv2d,
              [{ tensor: x }, { tensor: filter }, bias ? { tensor: bias } : null, { tensor: y }],
              [...windowGeometry(info), info.outChannels, activation!],
              [attrs.leakyreluAlpha ?? 0.2],
            );
            return y;
          }),
      },
    ],
  };
}

export const nativeConv2D = convolution('Conv2D');
export const nativeFusedConv2D = convolution('FusedConv2D');

/** `Conv2DBackpropInput` natively: `dy` times the filter's transpose, added back onto the image (col2im). */
export const nativeConv2DBackpropInput: AekitKernel = {
  name: 'Conv2DBackpropInput',
  summary: "a convolution's input gradient natively (products, then col2im)",
  wraps: [
    {
      backend: 'wasm',
      wrap: (original) =>
        replaceKernelFunc(original, (args) => {
          const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
          const attrs = args.attrs as unknown as ConvAttrs;
          const kernels = nativeKernels(args.backend);
          const info = kernels ? nativeWindow(attrs.inputShape!, filter.shape as Shape4, attrs, [dy.dtype, filter.dtype]) : undefined;
          if (!kernels || !info) return original.kernelFunc(args);
          const dx = (args.backend as WasmHeapBackend).makeOutput(info.inShape, 'float32');
          kernels.run(conv2dBackpropInput, [{ tensor: dy }, { tensor: filter }, { tensor: dx }], [...windowGeometry(info), info.outChannels]);
          return dx;
        }),
    },
  ],
};

/** `Conv2DBackpropFilter` natively: im2col of `x` times `dy`, summed per thread, then across threads. */
export const nativeConv2DBackpropFilter: AekitKernel = {
  name: 'Conv2DBackpropFilter',
  summary: "a convolution's filter gradient natively (im2col and products, summed over every core)",
  wraps: [
    {
      backend: 'wasm',
      wrap: (original) =>
        replaceKernelFunc(original, (args) => {
          const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
          const attrs = args.attrs as unknown as ConvAttrs;
          const kernels = nativeKernels(args.backend);
          const info = kernels ? nativeWindow(x.shape as Shape4, attrs.filterShape!, { ...attrs, dilations: 1 }, [x.dtype, dy.dtype]) : undefined;
          if (!kernels || !info) return original.kernelFunc(args);
          const dw = (args.backend as WasmHeapBackend).makeOutput(attrs.filterShape!, 'float32');
          kernels.run(conv2dBackpropFilter, [{ tensor: x }, { tensor: dy }, { tensor: dw }], [...windowGeometry(info), info.outChannels]);
          return dw;
        }),
    },
  ],
};
