import { attr } from '../../onnx/graph-builder.js';
import type { LayerConverter } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';

/**
 * `Flatten`: ONNX Flatten on the tensor in tfjs' order, so that a flattened
 * convolutional feature map lists values as tfjs does (H, W, then C).
 */
export const flattenLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  return [{ name: ctx.graph.op('Flatten', [x.name], { axis: attr.int(1) }, call.layer.name), shape: call.outputShapes[0], layout: 'native' }];
};

/** `Reshape`: ONNX Reshape to `[batch, ...targetShape]`, in tfjs' order. */
export const reshapeLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  const target = call.config.targetShape as (number | null)[];
  // 0 copies the batch dimension; a -1 in the target is inferred as in tfjs.
  const shape = ctx.graph.int64s([0, ...target.map((d) => d ?? -1)]);
  return [{ name: ctx.graph.op('Reshape', [x.name, shape], {}, call.layer.name), shape: call.outputShapes[0], layout: 'native' }];
};

/** `Permute`: Transpose that keeps the batch axis first. */
export const permuteLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  const dims = call.config.dims as number[];
  return [{ name: ctx.graph.op('Transpose', [x.name], { perm: attr.ints([0, ...dims]) }, call.layer.name), shape: call.outputShapes[0], layout: 'native' }];
};

/** `RepeatVector`: `[N, F]` → Unsqueeze → `[N, 1, F]` → Tile → `[N, n, F]`. */
export const repeatVectorLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  if (x.shape.length !== 2) throw new UnsupportedLayerError(call.layer.name, call.className, `expects a rank-2 input, got rank ${x.shape.length}`);
  const n = call.config.n as number;
  const g = ctx.graph;
  const expanded = g.op('Unsqueeze', [x.name, g.int64s([1])], {}, call.layer.name);
  return [{ name: g.op('Tile', [expanded, g.int64s([1, n, 1])], {}, call.layer.name), shape: call.outputShapes[0], layout: 'native' }];
};

/** `Rescaling`: `x · scale + offset`, element-wise in any layout. */
export const rescalingLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const g = ctx.graph;
  const scale = (call.config.scale as number | undefined) ?? 1;
  const offset = (call.config.offset as number | undefined) ?? 0;
  const scaled = g.op('Mul', [x.name, g.scalar(scale)], {}, call.layer.name);
  return [{ ...x, name: g.op('Add', [scaled, g.scalar(offset)], {}, call.layer.name) }];
};

/**
 * Layers that do nothing at inference (dropout and noise): the output is
 * the input, and no node is written.
 */
export const identityLayer: LayerConverter = (call) => [call.inputs[0]];
