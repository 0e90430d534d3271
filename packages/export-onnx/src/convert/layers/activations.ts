import { attr } from '../../onnx/graph-builder.js';
import type { ConversionContext, LayerCall, LayerConverter, OnnxValue } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';

/** tfjs' SELU constants (the same float32 values as ONNX's defaults, written out to be sure). */
const SELU_ALPHA = 1.6732632423543772;
const SELU_GAMMA = 1.0507009873554805;

/** Names of the tfjs activation functions {@link applyActivation} converts. */
export const SUPPORTED_ACTIVATIONS = [
  'linear',
  'relu',
  'relu6',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'softmax',
  'logSoftmax',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
] as const;

/**
 * Applies a tfjs activation function, by its serialised name (`relu`,
 * `hardSigmoid`, `gelu_new`…), to a value. Element-wise activations keep
 * the value's layout; softmax acts on the tfjs last axis wherever it is.
 *
 * @throws UnsupportedLayerError naming the layer for an unknown activation.
 */
export function applyActivation(ctx: ConversionContext, call: LayerCall, value: OnnxValue, activation: unknown): OnnxValue {
  const g = ctx.graph;
  const prefix = call.layer.name;
  const x = value.name;
  const out = (name: string): OnnxValue => ({ name, shape: value.shape, layout: value.layout });
  switch (activation ?? 'linear') {
    case 'linear':
      return value;
    case 'relu':
      return out(g.op('Relu', [x], {}, prefix));
    case 'relu6':
      return out(g.op('Clip', [x, g.scalar(0), g.scalar(6)], {}, prefix));
    case 'sigmoid':
      return out(g.op('Sigmoid', [x], {}, prefix));
    case 'hardSigmoid':
      // tfjs: clip(0.2 x + 0.5, 0, 1)
      return out(g.op('HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) }, prefix));
    case 'tanh':
      return out(g.op('Tanh', [x], {}, prefix));
    case 'elu':
      return out(g.op('Elu', [x], { alpha: attr.float(1) }, prefix));
    case 'selu':
      return out(g.op('Selu', [x], { alpha: attr.float(SELU_ALPHA), gamma: attr.float(SELU_GAMMA) }, prefix));
    case 'softplus':
      return out(g.op('Softplus', [x], {}, prefix));
    case 'softsign':
      return out(g.op('Softsign', [x], {}, prefix));
    case 'softmax':
      return out(g.op('Softmax', [x], { axis: attr.int(ctx.onnxAxis(value, -1)) }, prefix));
    case 'logSoftmax':
      return out(g.op('LogSoftmax', [x], { axis: attr.int(ctx.onnxAxis(value, -1)) }, prefix));
    case 'swish':
      // x · sigmoid(x)
      return out(g.op('Mul', [x, g.op('Sigmoid', [x], {}, prefix)], {}, prefix));
    case 'mish':
      // x · tanh(softplus(x))
      return out(g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x], {}, prefix)], {}, prefix)], {}, prefix));
    case 'gelu': {
      // x · ½ (1 + erf(x / √2)), as tfjs computes it
      const erf = g.op('Erf', [g.op('Div', [x, g.scalar(Math.SQRT2)], {}, prefix)], {}, prefix);
      const cdf = g.op('Mul', [g.op('Add', [erf, g.scalar(1)], {}, prefix), g.scalar(0.5)], {}, prefix);
      return out(g.op('Mul', [x, cdf], {}, prefix));
    }
    case 'gelu_new': {
      // ½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))
      const cube = g.op('Mul', [g.op('Mul', [x, x], {}, prefix), x], {}, prefix);
      const inner = g.op('Add', [x, g.op('Mul', [cube, g.scalar(0.044715)], {}, prefix)], {}, prefix);
      const tanh = g.op('Tanh', [g.op('Mul', [inner, g.scalar(Math.sqrt(2 / Math.PI))], {}, prefix)], {}, prefix);
      const half = g.op('Mul', [g.op('Add', [tanh, g.scalar(1)], {}, prefix), g.scalar(0.5)], {}, prefix);
      return out(g.op('Mul', [x, half], {}, prefix));
    }
    default:
      throw new UnsupportedLayerError(call.layer.name, call.className, `activation '${String(activation)}' has no ONNX mapping`);
  }
}

/** `Activation`: one activation function. */
export const activationLayer: LayerConverter = (call, ctx) => [applyActivation(ctx, call, call.inputs[0], call.config.activation)];

/** `ReLU`: Relu, or Clip when it has a `maxValue`. */
export const reluLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const max = call.config.maxValue as number | null | undefined;
  const g = ctx.graph;
  const name = max === null || max === undefined ? g.op('Relu', [x.name], {}, call.layer.name) : g.op('Clip', [x.name, g.scalar(0), g.scalar(max)], {}, call.layer.name);
  return [{ ...x, name }];
};

/** `LeakyReLU`: LeakyRelu with the layer's alpha. */
export const leakyReluLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const alpha = (call.config.alpha as number | undefined) ?? 0.3;
  return [{ ...x, name: ctx.graph.op('LeakyRelu', [x.name], { alpha: attr.float(alpha) }, call.layer.name) }];
};

/** `ELU`: Elu with the layer's alpha. */
export const eluLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const alpha = (call.config.alpha as number | undefined) ?? 1;
  return [{ ...x, name: ctx.graph.op('Elu', [x.name], { alpha: attr.float(alpha) }, call.layer.name) }];
};

/** `ThresholdedReLU`: ThresholdedRelu with the layer's theta. */
export const thresholdedReluLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const theta = (call.config.theta as number | undefined) ?? 1;
  return [{ ...x, name: ctx.graph.op('ThresholdedRelu', [x.name], { alpha: attr.float(theta) }, call.layer.name) }];
};

/** `Softmax` layer: Softmax over one axis. */
export const softmaxLayer: LayerConverter = (call, ctx) => {
  const [x] = call.inputs;
  const axis = call.config.axis ?? -1;
  const single = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : undefined) : axis;
  if (typeof single !== 'number') {
    throw new UnsupportedLayerError(call.layer.name, call.className, `softmax over several axes [${String(axis)}] has no single ONNX operator`);
  }
  return [{ ...x, name: ctx.graph.op('Softmax', [x.name], { axis: attr.int(ctx.onnxAxis(x, single)) }, call.layer.name) }];
};

/** `PReLU`: PRelu with the learned slopes (broadcast over shared axes). */
export const preluLayer: LayerConverter = (call, ctx) => {
  const x = ctx.toNative(call.inputs[0]);
  const alpha = ctx.weight(call.layer, 'alpha');
  if (!alpha) throw new UnsupportedLayerError(call.layer.name, call.className, 'it has no alpha weight');
  const slope = ctx.graph.constant(`${call.layer.name}/alpha`, alpha.values, alpha.shape);
  return [{ ...x, name: ctx.graph.op('PRelu', [x.name, slope], {}, call.layer.name) }];
};
