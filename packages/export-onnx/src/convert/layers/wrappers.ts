import type { tf } from '@aekit/core';
import type { LayerConverter } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';

/**
 * `TimeDistributed`: a `Dense` inner layer is applied to the whole
 * `[N, T, F]` tensor at once (MatMul acts on the last axis, as tfjs'
 * Dense does); any other inner layer runs on the steps folded into the
 * batch (`[N·T, …]`) and the result is unfolded to `[N, T, …]`.
 */
export const timeDistributedLayer: LayerConverter = (call, ctx) => {
  const inner = (call.layer as unknown as { layer: tf.layers.Layer }).layer;
  const x = ctx.toNative(call.inputs[0]);
  if (inner.getClassName() === 'Dense') return ctx.convertLayer(inner, [x]);
  const [, steps, ...item] = x.shape;
  if (steps === null || item.some((d) => d === null)) {
    throw new UnsupportedLayerError(call.layer.name, call.className, 'the number of steps and the step shape must be known');
  }
  const g = ctx.graph;
  const folded = g.op('Reshape', [x.name, g.int64s([-1, ...(item as number[])])], {}, call.layer.name);
  const outputs = ctx.convertLayer(inner, [{ name: folded, shape: [null, ...item], layout: 'native' }]);
  if (outputs.length !== 1) throw new UnsupportedLayerError(call.layer.name, call.className, 'the inner layer must have one output');
  const y = ctx.toNative(outputs[0]);
  const shape = call.outputShapes[0];
  const unfolded = g.op('Reshape', [y.name, g.int64s([-1, steps, ...(shape.slice(2) as number[])])], {}, call.layer.name);
  return [{ name: unfolded, shape, layout: 'native' }];
};
