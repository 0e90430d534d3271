import { attr, type Attributes } from '../../onnx/graph-builder.js';
import type { ConversionContext, LayerCall, LayerConverter, OnnxValue, Weight } from '../context.js';
import { UnsupportedLayerError } from '../errors.js';
import { reorderBlocks, transposeValues } from '../weight-layout.js';

/** How a tfjs recurrent layer maps to an ONNX recurrent operator. */
interface RecurrentKind {
  /** ONNX operator. */
  op: 'LSTM' | 'GRU' | 'RNN';
  /** Number of gates stacked in the kernels. */
  gates: number;
  /** ONNX gate order as indices into tfjs' gate order. */
  order: number[];
  /** Number of state outputs tfjs returns with `returnState`. */
  states: number;
}

const KINDS: Record<string, RecurrentKind> = {
  // tfjs (Keras) stacks LSTM gates as i, f, c, o; ONNX as i, o, f, c.
  LSTM: { op: 'LSTM', gates: 4, order: [0, 3, 1, 2], states: 2 },
  // Both stack GRU gates as z, r, h.
  GRU: { op: 'GRU', gates: 3, order: [0, 1, 2], states: 1 },
  SimpleRNN: { op: 'RNN', gates: 1, order: [0], states: 1 },
};

/**
 * tfjs activation → ONNX recurrent activation, with the alpha and beta of
 * those ONNX functions that take them (Affine, HardSigmoid, Elu).
 */
const RNN_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  relu: { name: 'Relu' },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
};

/** The recurrent layer's own settings (for `Bidirectional`, those of the wrapped layer). */
interface RecurrentConfig {
  units: number;
  activation?: string;
  recurrentActivation?: string;
  useBias?: boolean;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  stateful?: boolean;
  resetAfter?: boolean;
}

/** Outputs of one ONNX recurrent node, time-major as ONNX defines them. */
interface RecurrentOutputs {
  /** All hidden states `[T, directions, N, U]`. */
  y: string;
  /** Last hidden state `[directions, N, U]`. */
  yH: string;
  /** Last cell state `[directions, N, U]` (LSTM only). */
  yC?: string;
}

/**
 * `LSTM`, `GRU` and `SimpleRNN`: the ONNX operator of the same kind, with
 * the input transposed to time-major, gates reordered, and the output cut
 * to what tfjs returns (the last state, or every step with
 * `returnSequences`, plus the states with `returnState`). `goBackwards`
 * runs the operator in reverse and, for sequences, flips its output back
 * to tfjs' processing order.
 */
export const recurrentLayer: LayerConverter = (call, ctx) => {
  const kind = KINDS[call.className];
  const config = call.config as unknown as RecurrentConfig;
  const x = ctx.toNative(call.inputs[0]);
  const direction = config.goBackwards ? 'reverse' : 'forward';
  const out = recurrentNode(ctx, call, kind, config, x, [ctx.weights(call.layer)], direction);
  const g = ctx.graph;
  const prefix = call.layer.name;
  const squeeze = (name: string, axis: number) => g.op('Squeeze', [name, g.int64s([axis])], {}, prefix);
  let output: string;
  if (config.returnSequences) {
    let sequence = squeeze(out.y, 1);
    // ONNX aligns a reverse run's outputs with the input steps; tfjs lists them in the order it processed them.
    if (config.goBackwards) sequence = g.op('Slice', [sequence, g.int64s([-1]), g.int64s([-Infinity]), g.int64s([0]), g.int64s([-1])], {}, prefix);
    output = batchMajor(ctx, prefix, sequence);
  } else {
    output = squeeze(out.yH, 0);
  }
  const outputs = [output];
  if (config.returnState) {
    outputs.push(squeeze(out.yH, 0));
    if (kind.states === 2) outputs.push(squeeze(out.yC!, 0));
  }
  return outputs.map((name, i) => native(name, call, i));
};

/**
 * `Bidirectional` around an LSTM, GRU or SimpleRNN: one ONNX node with
 * `direction = bidirectional`, whose two directions are split apart and
 * merged as tfjs does (`concat`, `sum`, `mul`, `ave`, or both outputs).
 * ONNX already aligns the backward outputs with the input steps, which is
 * what tfjs' Bidirectional does by reversing them.
 */
export const bidirectionalLayer: LayerConverter = (call, ctx) => {
  const inner = call.config.layer as { className: string; config: RecurrentConfig };
  const kind = KINDS[inner.className];
  if (!kind) throw new UnsupportedLayerError(call.layer.name, call.className, `it wraps a ${inner.className}; only LSTM, GRU and SimpleRNN are supported`);
  const config = inner.config;
  if (config.goBackwards) throw new UnsupportedLayerError(call.layer.name, call.className, 'a wrapped layer with goBackwards is not supported');
  const weights = ctx.weights(call.layer);
  const half = weights.length / 2;
  const x = ctx.toNative(call.inputs[0]);
  const out = recurrentNode(ctx, call, kind, config, x, [weights.slice(0, half), weights.slice(half)], 'bidirectional');
  const g = ctx.graph;
  const prefix = call.layer.name;
  // Split a [.., 2, ..] tensor on its direction axis into two, without that axis.
  const directions = (name: string, axis: number): [string, string] => {
    const [forward, backward] = g.node('Split', [name], { axis: attr.int(axis) }, { name: prefix, outputs: 2 });
    return [g.op('Squeeze', [forward, g.int64s([axis])], {}, prefix), g.op('Squeeze', [backward, g.int64s([axis])], {}, prefix)];
  };
  const [forward, backward] = config.returnSequences
    ? directions(out.y, 1).map((sequence) => batchMajor(ctx, prefix, sequence))
    : directions(out.yH, 0);
  const mergeMode = call.config.mergeMode as string | null | undefined;
  let merged: string[];
  switch (mergeMode) {
    case 'concat':
    case undefined:
      merged = [g.op('Concat', [forward, backward], { axis: attr.int(-1) }, prefix)];
      break;
    case 'sum':
      merged = [g.op('Add', [forward, backward], {}, prefix)];
      break;
    case 'mul':
      merged = [g.op('Mul', [forward, backward], {}, prefix)];
      break;
    case 'ave':
      merged = [g.op('Mul', [g.op('Add', [forward, backward], {}, prefix), g.scalar(0.5)], {}, prefix)];
      break;
    case null:
      merged = [forward, backward];
      break;
    default:
      throw new UnsupportedLayerError(call.layer.name, call.className, `mergeMode '${mergeMode}' is not supported`);
  }
  const outputs = [...merged];
  if (config.returnState) {
    const [hForward, hBackward] = directions(out.yH, 0);
    if (kind.states === 2) {
      const [cForward, cBackward] = directions(out.yC!, 0);
      outputs.push(hForward, cForward, hBackward, cBackward);
    } else {
      outputs.push(hForward, hBackward);
    }
  }
  return outputs.map((name, i) => native(name, call, i));
};

/** Adds the ONNX LSTM/GRU/RNN node for one or two directions of weights. */
function recurrentNode(
  ctx: ConversionContext,
  call: LayerCall,
  kind: RecurrentKind,
  config: RecurrentConfig,
  x: OnnxValue,
  directionWeights: Weight[][],
  direction: 'forward' | 'reverse' | 'bidirectional',
): RecurrentOutputs {
  if (config.stateful) throw new UnsupportedLayerError(call.layer.name, call.className, 'stateful recurrent layers are not supported');
  if (config.resetAfter) throw new UnsupportedLayerError(call.layer.name, call.className, 'GRU with resetAfter is not supported');
  if (x.shape.length !== 3) throw new UnsupportedLayerError(call.layer.name, call.className, `expects a [batch, time, features] input, got rank ${x.shape.length}`);
  const units = config.units;
  const features = x.shape[2];
  if (features === null) throw new UnsupportedLayerError(call.layer.name, call.className, 'the number of input features must be known');
  const parts = directionWeights.map((weights) => gateWeights(call, kind, weights, units, features, config.useBias !== false));
  const g = ctx.graph;
  const prefix = call.layer.name;
  const stack = (pick: (p: GateWeights) => Float32Array) => {
    const arrays = parts.map(pick);
    const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    arrays.reduce((offset, a) => (all.set(a, offset), offset + a.length), 0);
    return all;
  };
  const d = parts.length;
  const w = g.constant(`${prefix}/W`, stack((p) => p.w), [d, kind.gates * units, features]);
  const r = g.constant(`${prefix}/R`, stack((p) => p.r), [d, kind.gates * units, units]);
  const b = g.constant(`${prefix}/B`, stack((p) => p.b), [d, 2 * kind.gates * units]);
  const timeMajor = g.op('Transpose', [x.name], { perm: attr.ints([1, 0, 2]) }, prefix);
  const outputs = g.node(kind.op, [timeMajor, w, r, b], { hidden_size: attr.int(units), direction: attr.string(direction), ...activationAttributes(call, kind, config, d) }, {
    name: prefix,
    outputs: kind.op === 'LSTM' ? 3 : 2,
  });
  return { y: outputs[0], yH: outputs[1], yC: outputs[2] };
}

interface GateWeights {
  w: Float32Array;
  r: Float32Array;
  b: Float32Array;
}

/** tfjs kernels `[F, G·U]`, `[U, G·U]`, bias `[G·U]` → ONNX W `[G·U, F]`, R `[G·U, U]`, B `[2·G·U]` in ONNX gate order. */
function gateWeights(call: LayerCall, kind: RecurrentKind, weights: Weight[], units: number, features: number, useBias: boolean): GateWeights {
  const find = (role: string) => weights.find((w) => w.role === role);
  const kernel = find('kernel');
  const recurrent = find('recurrent_kernel');
  if (!kernel || !recurrent) throw new UnsupportedLayerError(call.layer.name, call.className, 'it has no kernel weights (not built?)');
  const size = kind.gates * units;
  if (kernel.shape[0] !== features || kernel.shape[1] !== size) {
    throw new UnsupportedLayerError(call.layer.name, call.className, `kernel has shape [${kernel.shape}], expected [${features},${size}]`);
  }
  const w = reorderBlocks(transposeValues(kernel.values, kernel.shape, [1, 0]).values, kind.gates, kind.order);
  const r = reorderBlocks(transposeValues(recurrent.values, recurrent.shape, [1, 0]).values, kind.gates, kind.order);
  // ONNX has an input bias and a recurrent bias; tfjs has only the first.
  const b = new Float32Array(2 * size);
  const bias = useBias ? find('bias') : undefined;
  if (bias) b.set(reorderBlocks(bias.values, kind.gates, kind.order));
  return { w, r, b };
}

/**
 * The `activations` attribute: LSTM (f, g, h) = (recurrent, activation,
 * activation), GRU (f, g), RNN (g); once per direction. Alphas and betas
 * are listed for the functions that take them only, in order, which is how
 * onnxruntime reads them.
 */
function activationAttributes(call: LayerCall, kind: RecurrentKind, config: RecurrentConfig, directions: number): Attributes {
  const lookup = (name: string | undefined, fallback: string) => {
    const activation = RNN_ACTIVATIONS[name ?? fallback];
    if (!activation) throw new UnsupportedLayerError(call.layer.name, call.className, `activation '${name}' has no ONNX recurrent equivalent`);
    return activation;
  };
  const g = lookup(config.activation, 'tanh');
  const f = lookup(config.recurrentActivation, 'hardSigmoid');
  const one = kind.op === 'LSTM' ? [f, g, g] : kind.op === 'GRU' ? [f, g] : [g];
  const all = Array.from({ length: directions }, () => one).flat();
  const alphas = all.flatMap((a) => (a.alpha === undefined ? [] : [a.alpha]));
  const betas = all.flatMap((a) => (a.beta === undefined ? [] : [a.beta]));
  return {
    activations: attr.strings(all.map((a) => a.name)),
    activation_alpha: alphas.length > 0 ? attr.floats(alphas) : undefined,
    activation_beta: betas.length > 0 ? attr.floats(betas) : undefined,
  };
}

/** `[T, N, U]` → `[N, T, U]`. */
function batchMajor(ctx: ConversionContext, prefix: string, name: string): string {
  return ctx.graph.op('Transpose', [name], { perm: attr.ints([1, 0, 2]) }, prefix);
}

function native(name: string, call: LayerCall, index: number): OnnxValue {
  return { name, shape: call.outputShapes[index], layout: 'native' };
}
