import type { FeatureScaler } from '@aekit/core';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version.js';
import { GraphBuilder, attr } from './graph-builder.js';
import { signModelBytes } from './checksum.js';
import { encodeModel, IR_VERSION, onnx, OPSET_VERSION } from './proto.js';

/** Input, reconstruction and output names of {@link meanSquaredErrorModel}. */
export const SCORE_MODEL_NAMES = { input: 'input', reconstruction: 'reconstruction', score: 'score' } as const;

/**
 * A small ONNX model that scores reconstructions: inputs `input` and
 * `reconstruction` (both `[batch, ...itemShape]`, float32), output `score`
 * (`[batch, 1]`, float64), each item's mean squared error — the anomaly
 * score of `ae serve`'s score route. The error is computed in double
 * precision: for rows in raw units the squared errors can exceed what
 * float32 holds, so the score is FP64 wherever aekit serves it. A Triton
 * ensemble chains it after the full model, so that Triton serves the score
 * as well; the output keeps a unit axis because a Triton model with
 * batching needs at least one dimension besides the batch.
 *
 * For a model trained on a table, whose graph takes raw rows, `scaler`
 * divides each feature's squared error by its variance, so the score is the
 * standardised error that `ae score` and `ae serve` give.
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { meanSquaredErrorModel } from '@aekit/export-onnx';
 *
 * // inputs `input` and `reconstruction` ([batch, 784]), output `score` ([batch, 1], float64)
 * await writeFile('mnist_mse.onnx', meanSquaredErrorModel([784]));
 * ```
 * @param itemShape - Shape of one item (without the batch).
 * @param scaler - The table's scaler, when the model has one.
 * @returns The bytes of the `.onnx` file, signed with aekit's checksum.
 */
export function meanSquaredErrorModel(itemShape: readonly number[], scaler?: FeatureScaler): Uint8Array {
  const graph = new GraphBuilder();
  const { input, reconstruction, score } = SCORE_MODEL_NAMES;
  for (const name of [input, reconstruction]) {
    graph.reserveName(name);
    graph.addInput({ name, shape: [null, ...itemShape] });
  }
  graph.reserveName(score);
  const toDouble = { to: attr.int(onnx.TensorProto.DataType.DOUBLE) };
  const difference = graph.op('Sub', [graph.op('Cast', [input], toDouble, 'input_f64'), graph.op('Cast', [reconstruction], toDouble, 'reconstruction_f64')], {}, 'error');
  let squared = graph.op('Mul', [difference, difference], {}, 'squared_error');
  if (scaler) {
    const inverseVariance = graph.constant('inverse_variance', scaler.std.map((s) => 1 / (s * s)), [scaler.std.length], 'float64');
    squared = graph.op('Mul', [squared, inverseVariance], {}, 'standardised_squared_error');
  }
  const flat = graph.op('Flatten', [squared], { axis: attr.int(1) }, 'flatten');
  // Opset 17 takes ReduceMean's axes as an attribute (an input only from opset 18).
  const mean = graph.op('ReduceMean', [flat], { axes: attr.ints([1]), keepdims: attr.int(1) }, 'mean');
  graph.node('Identity', [mean], {}, { name: score, outputs: [score] });
  graph.addOutput({ name: score, shape: [null, 1], type: 'float64' });
  return signModelBytes(
    encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: PACKAGE_NAME,
    producerVersion: PACKAGE_VERSION,
    docString: 'mean squared error of each item and its reconstruction (the anomaly score)',
    graph: graph.build('mean_squared_error'),
    }),
  );
}
