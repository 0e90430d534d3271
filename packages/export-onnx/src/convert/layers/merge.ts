import { attr } from '../../onnx/graph-builder.js';
import type { LayerConverter, OnnxValue } from '../context.js';
import type { ConversionContext } from '../context.js';

/** Merge layer class → ONNX operator taking any number of inputs. */
const VARIADIC: Record<string, string> = { Add: 'Sum', Average: 'Mean', Maximum: 'Max', Minimum: 'Min' };

/**
 * `Add`, `Average`, `Maximum`, `Minimum` and `Multiply`:
 * element-wise ONNX operators. Inputs that all share a layout stay in it.
 */
export const elementwiseMergeLayer: LayerConverter = (call, ctx) => {
  const inputs = sameLayout(ctx, call.inputs);
  const g = ctx.graph;
  const names = inputs.map((v) => v.name);
  let name: string;
  if (call.className in VARIADIC) name = g.op(VARIADIC[call.className], names, {}, call.layer.name);
  else name = names.slice(1).reduce((acc, n) => g.op('Mul', [acc, n], {}, call.layer.name), names[0]);
  return [{ name, shape: call.outputShapes[0], layout: inputs[0].layout }];
};

/** `Concatenate`: ONNX Concat along the same tfjs axis. */
export const concatenateLayer: LayerConverter = (call, ctx) => {
  const inputs = sameLayout(ctx, call.inputs);
  const axis = ctx.onnxAxis(inputs[0], (call.config.axis as number | undefined) ?? -1);
  const name = ctx.graph.op('Concat', inputs.map((v) => v.name), { axis: attr.int(axis) }, call.layer.name);
  return [{ name, shape: call.outputShapes[0], layout: inputs[0].layout }];
};

function sameLayout(ctx: ConversionContext, inputs: readonly OnnxValue[]): OnnxValue[] {
  if (inputs.every((v) => v.layout === inputs[0].layout)) return [...inputs];
  return inputs.map((v) => ctx.toNative(v));
}
