import { attr } from '../../onnx/graph-builder.js';
import type { LayerConverter } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';

/**
 * `BatchNormalization` at inference: the moving statistics folded into one
 * scale and shift per channel, `y = x · γ/√(σ²+ε) + (β − μ·γ/√(σ²+ε))`,
 * as Mul and Add broadcast along the normalised axis in whatever layout
 * the input is (so a convolutional run stays channels-first).
 */
export const batchNormLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const tfAxis = (call.config.axis as number | undefined) ?? -1;
  const epsilon = (call.config.epsilon as number | undefined) ?? 1e-3;
  const mean = ctx.weight(call.layer, 'moving_mean');
  const variance = ctx.weight(call.layer, 'moving_variance');
  if (!mean || !variance) throw new UnsupportedLayerError(call.layer.name, call.className, 'it has no moving statistics (not built?)');
  const gamma = call.config.scale === false ? undefined : ctx.weight(call.layer, 'gamma');
  const beta = call.config.center === false ? undefined : ctx.weight(call.layer, 'beta');
  const channels = mean.values.length;
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = (gamma ? gamma.values[c] : 1) / Math.sqrt(variance.values[c] + epsilon);
    shift[c] = (beta ? beta.values[c] : 0) - mean.values[c] * scale[c];
  }
  // [C, 1, …, 1] broadcasts along the channel axis of the ONNX tensor.
  const axis = ctx.onnxAxis(x, tfAxis);
  const dims = [channels, ...new Array<number>(x.shape.length - 1 - axis).fill(1)];
  const g = ctx.graph;
  const scaled = g.op('Mul', [x.name, g.constant(`${call.layer.name}/scale`, scale, dims)], {}, call.layer.name);
  return [{ ...x, name: g.op('Add', [scaled, g.constant(`${call.layer.name}/shift`, shift, dims)], {}, call.layer.name) }];
};

/**
 * `LayerNormalization`: ONNX LayerNormalization (opset 17) over the
 * trailing axes tfjs normalises.
 */
export const layerNormLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  const rank = x.shape.length;
  const raw = call.config.axis ?? -1;
  const axes = (Array.isArray(raw) ? (raw as number[]) : [raw as number]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
  const first = axes[0];
  if (axes.some((a, i) => a !== first + i) || axes[axes.length - 1] !== rank - 1 || first === 0) {
    throw new UnsupportedLayerError(call.layer.name, call.className, `normalising over axes [${axes}] (not a trailing range) is not supported`);
  }
  const normalized = x.shape.slice(first) as number[];
  const size = normalized.reduce((a, b) => a * b, 1);
  const epsilon = (call.config.epsilon as number | undefined) ?? 1e-3;
  const gamma = call.config.scale === false ? undefined : ctx.weight(call.layer, 'gamma');
  const beta = call.config.center === false ? undefined : ctx.weight(call.layer, 'beta');
  const g = ctx.graph;
  const scale = g.constant(`${call.layer.name}/gamma`, gamma?.values ?? new Float32Array(size).fill(1), normalized);
  const inputs = [x.name, scale, ...(beta ? [g.constant(`${call.layer.name}/beta`, beta.values, normalized)] : [])];
  const name = g.op('LayerNormalization', inputs, { axis: attr.int(first), epsilon: attr.float(epsilon) }, call.layer.name);
  return [{ name, shape: call.outputShapes[0], layout: 'native' }];
};
