import type { ConversionContext, LayerCall, LayerConverter } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';
import { applyActivation } from './activations.js';

/**
 * `Dense`: Gemm on a batch of vectors, MatMul (+ Add) on higher-rank
 * inputs, where tfjs applies the kernel to the last axis (as
 * `TimeDistributed(Dense)` does); then the activation.
 */
export const denseLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  const { kernel, bias } = denseWeights(call, ctx);
  const g = ctx.graph;
  const name =
    x.shape.length === 2
      ? g.op('Gemm', bias ? [x.name, kernel, bias] : [x.name, kernel], {}, call.layer.name)
      : addBias(ctx, call, g.op('MatMul', [x.name, kernel], {}, call.layer.name), bias);
  return [applyActivation(ctx, call, { name, shape: call.outputShapes[0], layout: 'native' }, call.config.activation)];
};

function denseWeights(call: LayerCall, ctx: ConversionContext): { kernel: string; bias?: string } {
  const kernel = ctx.weight(call.layer, 'kernel');
  if (!kernel) throw new UnsupportedLayerError(call.layer.name, call.className, 'it has no kernel weight (not built?)');
  const bias = call.config.useBias === false ? undefined : ctx.weight(call.layer, 'bias');
  return {
    kernel: ctx.graph.constant(`${call.layer.name}/kernel`, kernel.values, kernel.shape),
    bias: bias && ctx.graph.constant(`${call.layer.name}/bias`, bias.values, bias.shape),
  };
}

function addBias(ctx: ConversionContext, call: LayerCall, name: string, bias: string | undefined): string {
  return bias ? ctx.graph.op('Add', [name, bias], {}, call.layer.name) : name;
}
