import { attr } from '../../onnx/graph-builder.js';
import type { LayerConverter } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';
import { requireChannelsLast, tuple, windowPadding } from './spatial.js';

/**
 * `MaxPooling1D/2D` and `AveragePooling1D/2D`: MaxPool and AveragePool on
 * the channels-first tensor. Average pooling with `same` padding divides by
 * the number of real pixels in the window, as ONNX does with
 * `count_include_pad = 0`.
 */
export const poolingLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const rank = call.className.endsWith('1D') ? 1 : 2;
  const op = call.className.startsWith('Max') ? 'MaxPool' : 'AveragePool';
  const kernel = tuple(call.config.poolSize, rank, 2);
  const strides = tuple(call.config.strides ?? call.config.poolSize, rank, 2);
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const name = ctx.graph.op(
    op,
    [x.name],
    { kernel_shape: attr.ints(kernel), strides: attr.ints(strides), ...windowPadding(call, call.inputs[0], { kernel, strides }) },
    call.layer.name,
  );
  return [{ name, shape: call.outputShapes[0], layout: 'channelsFirst' }];
};

/**
 * `GlobalAveragePooling1D/2D` and `GlobalMaxPooling1D/2D`: GlobalAveragePool
 * or GlobalMaxPool on the channels-first tensor, then Flatten to `[N, C]`.
 */
export const globalPoolingLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const op = call.className.startsWith('GlobalMax') ? 'GlobalMaxPool' : 'GlobalAveragePool';
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const pooled = ctx.graph.op(op, [x.name], {}, call.layer.name);
  return [{ name: ctx.graph.op('Flatten', [pooled], { axis: attr.int(1) }, call.layer.name), shape: call.outputShapes[0], layout: 'native' }];
};

/**
 * `UpSampling2D`: ONNX Resize by integer scales. tfjs resizes with
 * `alignCorners = false, halfPixelCenters = false`, i.e. source pixel
 * `x_out / scale`: Resize's `asymmetric` coordinate mode. Nearest rounds
 * that down (`nearest_mode = floor`); bilinear is Resize's `linear` mode.
 */
export const upSamplingLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const [sh, sw] = tuple(call.config.size, 2, 2);
  const interpolation = (call.config.interpolation as string | undefined) ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new UnsupportedLayerError(call.layer.name, call.className, `interpolation '${interpolation}' is not supported`);
  }
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const g = ctx.graph;
  const name = g.op(
    'Resize',
    [x.name, '', g.float32s([1, 1, sh, sw])],
    {
      mode: attr.string(interpolation === 'nearest' ? 'nearest' : 'linear'),
      coordinate_transformation_mode: attr.string('asymmetric'),
      nearest_mode: interpolation === 'nearest' ? attr.string('floor') : undefined,
    },
    call.layer.name,
  );
  return [{ name, shape: call.outputShapes[0], layout: 'channelsFirst' }];
};

/** `ZeroPadding2D`: Pad with zeros on the channels-first tensor. */
export const zeroPaddingLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const [[top, bottom], [left, right]] = pairs(call.config.padding);
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const pads = ctx.graph.int64s([0, 0, top, left, 0, 0, bottom, right]);
  return [{ name: ctx.graph.op('Pad', [x.name, pads], { mode: attr.string('constant') }, call.layer.name), shape: call.outputShapes[0], layout: 'channelsFirst' }];
};

/** `Cropping2D`: Slice of the spatial axes on the channels-first tensor. */
export const croppingLayer: LayerConverter = (call, ctx) => {
  requireChannelsLast(call);
  const [[top, bottom], [left, right]] = pairs(call.config.cropping);
  const x = ctx.toChannelsFirst(call.inputs[0]);
  const g = ctx.graph;
  // A negative end counts from the end; "nothing cropped" slices to the end.
  const end = (n: number) => (n > 0 ? -n : Infinity);
  const name = g.op('Slice', [x.name, g.int64s([top, left]), g.int64s([end(bottom), end(right)]), g.int64s([2, 3])], {}, call.layer.name);
  return [{ name, shape: call.outputShapes[0], layout: 'channelsFirst' }];
};

/** `n`, `[h, w]` or `[[top, bottom], [left, right]]` as the last form. */
function pairs(value: unknown): [[number, number], [number, number]] {
  if (typeof value === 'number') return [[value, value], [value, value]];
  const [a, b] = value as (number | number[])[];
  const pair = (v: number | number[]): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
  return [pair(a), pair(b)];
}
