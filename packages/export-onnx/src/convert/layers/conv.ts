import { attr } from '../../onnx/graph-builder.js';
import type { ConversionContext, LayerCall, LayerConverter, OnnxValue } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';
import { transposeValues } from '../weight-layout.js';
import { applyActivation } from './activations.js';
import { requireChannelsLast, tuple, windowPadding } from './spatial.js';

/**
 * `Conv1D` and `Conv2D`: ONNX Conv on the channels-first tensor. The tfjs
 * kernel `[kh, kw, in, out]` becomes `[out, in, kh, kw]`.
 *
 * A convolution to a single channel (an image decoder's last layer) is
 * written as a per-channel (grouped) Conv whose channels are then summed:
 * the same arithmetic, but onnxruntime's blocked convolution pads output
 * channels to its block of 8 or 16, so a one-channel Conv costs as much as
 * an eight-channel one, and this form avoids that padding
 * (`bench/inference.mjs` times the exported models).
 */
export const convLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const rank = call.className === 'Conv1D' ? 1 : 2;
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const kernel = requireWeight(ctx, call, 'kernel');
  const window = {
    kernel: kernel.shape.slice(0, rank),
    strides: tuple(call.config.strides, rank, 1),
    dilations: tuple(call.config.dilationRate, rank, 1),
  };
  const [inChannels, outChannels] = kernel.shape.slice(rank);
  const perChannel = outChannels === 1 && inChannels > 1;
  // [k…, in, out] → [out, in, k…]; one output channel: [in, 1, k…] in groups of one.
  const perm = rank === 1 ? [2, 1, 0] : [3, 2, 0, 1];
  const w = transposeValues(kernel.values, kernel.shape, perm);
  const g = ctx.graph;
  const weights = g.constant(`${call.layer.name}/kernel`, w.values, perChannel ? [inChannels, 1, ...window.kernel] : w.shape);
  const bias = biasInput(ctx, call);
  const attributes = {
    kernel_shape: attr.ints(window.kernel),
    strides: attr.ints(window.strides),
    dilations: attr.ints(window.dilations),
    group: perChannel ? attr.int(inChannels) : undefined,
    ...windowPadding(call, call.inputs[0], window),
  };
  let y: string;
  if (perChannel) {
    const products = g.op('Conv', [x.name, weights], attributes, call.layer.name);
    y = g.op('ReduceSum', [products, g.int64s([1])], { keepdims: attr.int(1) }, call.layer.name);
    if (bias.length > 0) y = g.op('Add', [y, bias[0]], {}, call.layer.name);
  } else {
    y = g.op('Conv', [x.name, weights, ...bias], attributes, call.layer.name);
  }
  return [applyActivation(ctx, call, channelsFirst(call, y), call.config.activation)];
};

/**
 * `DepthwiseConv2D`: a grouped Conv with one group per input channel. The
 * kernel `[kh, kw, in, m]` becomes `[in·m, 1, kh, kw]`, channel `c·m + j`
 * as in tfjs.
 */
export const depthwiseConvLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const y = depthwise(ctx, call, x, requireWeight(ctx, call, 'depthwise_kernel'), biasInput(ctx, call));
  return [applyActivation(ctx, call, channelsFirst(call, y), call.config.activation)];
};

/** `SeparableConv2D`: the depthwise Conv, then a 1×1 Conv with the bias. */
export const separableConvLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const dw = depthwise(ctx, call, x, requireWeight(ctx, call, 'depthwise_kernel'), []);
  const pointwise = requireWeight(ctx, call, 'pointwise_kernel');
  const w = transposeValues(pointwise.values, pointwise.shape, [3, 2, 0, 1]);
  const y = ctx.graph.op(
    'Conv',
    [dw, ctx.graph.constant(`${call.layer.name}/pointwise_kernel`, w.values, w.shape), ...biasInput(ctx, call)],
    { kernel_shape: attr.ints([1, 1]) },
    call.layer.name,
  );
  return [applyActivation(ctx, call, channelsFirst(call, y), call.config.activation)];
};

/**
 * `Conv2DTranspose`: ONNX ConvTranspose. The kernel `[kh, kw, out, in]`
 * becomes `[in, out, kh, kw]`. tfjs computes it as the gradient of a
 * convolution whose `same` padding puts the odd pixel at the end; the
 * matching ConvTranspose pads are that convolution's, and output_padding
 * adds the rows tfjs has beyond the last window when the kernel is smaller
 * than the stride. Neither depends on the input size.
 */
export const convTransposeLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const dilations = tuple(call.config.dilationRate, 2, 1);
  if (dilations.some((d) => d !== 1)) throw new UnsupportedLayerError(call.layer.name, call.className, 'dilated transposed convolutions are not supported');
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const kernel = requireWeight(ctx, call, 'kernel');
  const size = kernel.shape.slice(0, 2);
  const strides = tuple(call.config.strides, 2, 1);
  const padding = (call.config.padding as string | undefined) ?? 'valid';
  if (padding !== 'same' && padding !== 'valid') throw new UnsupportedLayerError(call.layer.name, call.className, `padding '${padding}' is not supported`);
  const total = size.map((k, i) => (padding === 'same' ? Math.max(k - strides[i], 0) : 0));
  const pads = [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  const outputPadding = size.map((k, i) => Math.max(strides[i] - k, 0));
  const w = transposeValues(kernel.values, kernel.shape, [3, 2, 0, 1]);
  const y = ctx.graph.op(
    'ConvTranspose',
    [x.name, ctx.graph.constant(`${call.layer.name}/kernel`, w.values, w.shape), ...biasInput(ctx, call)],
    {
      kernel_shape: attr.ints(size),
      strides: attr.ints(strides),
      pads: attr.ints(pads),
      output_padding: outputPadding.some((p) => p > 0) ? attr.ints(outputPadding) : undefined,
    },
    call.layer.name,
  );
  return [applyActivation(ctx, call, channelsFirst(call, y), call.config.activation)];
};

function depthwise(
  ctx: ConversionContext,
  call: LayerCall,
  x: OnnxValue,
  kernel: { values: Float32Array; shape: number[] },
  bias: string[],
): string {
  const [kh, kw, channels, multiplier] = kernel.shape;
  // [kh, kw, in, m] → [in, m, kh, kw], read as [in·m, 1, kh, kw]
  const w = transposeValues(kernel.values, kernel.shape, [2, 3, 0, 1]);
  const window = { kernel: [kh, kw], strides: tuple(call.config.strides, 2, 1), dilations: tuple(call.config.dilationRate, 2, 1) };
  return ctx.graph.op(
    'Conv',
    [x.name, ctx.graph.constant(`${call.layer.name}/depthwise_kernel`, w.values, [channels * multiplier, 1, kh, kw]), ...bias],
    {
      group: attr.int(channels),
      kernel_shape: attr.ints(window.kernel),
      strides: attr.ints(window.strides),
      dilations: attr.ints(window.dilations),
      ...windowPadding(call, call.inputs[0], window),
    },
    call.layer.name,
  );
}

function requireWeight(ctx: ConversionContext, call: LayerCall, role: string) {
  const weight = ctx.weight(call.layer, role);
  if (!weight) throw new UnsupportedLayerError(call.layer.name, call.className, `it has no '${role}' weight (not built?)`);
  return weight;
}

function biasInput(ctx: ConversionContext, call: LayerCall): string[] {
  if (call.config.useBias === false) return [];
  const bias = ctx.weight(call.layer, 'bias');
  return bias ? [ctx.graph.constant(`${call.layer.name}/bias`, bias.values, bias.shape)] : [];
}

function channelsFirst(call: LayerCall, name: string): OnnxValue {
  return { name, shape: call.outputShapes[0], layout: 'channelsFirst' };
}
