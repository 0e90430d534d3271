import type { FeatureScaler } from '@aekit/core';

/**
 * Mean squared error between each input item and its reconstruction: the
 * anomaly score of an autoencoder (high for items unlike its training data).
 * For a model with a scaler baked in (trained on a table), inputs and
 * reconstructions are in raw units and each feature's error is divided by
 * its standard deviation, which gives exactly the standardised error that
 * training and `ae score` compute.
 *
 * @example
 * ```ts
 * import { meanSquaredErrors } from '@aekit/export-onnx';
 *
 * const inputs = new Float32Array([0, 0, 1, 1]); // two items of two values
 * const outputs = new Float32Array([0, 0.5, 1, 0]);
 * meanSquaredErrors(inputs, outputs, 2); // [0.125, 0.5]
 * ```
 * @param inputs - `count` items, row-major.
 * @param outputs - Their reconstructions, same layout.
 * @param count - Number of items.
 * @param scaler - The model's scaler (its ONNX metadata's `aekit.preprocessing`, when `aekit.inModel` lists `scale`), if any.
 */
export function meanSquaredErrors(inputs: Float32Array, outputs: Float32Array, count: number, scaler?: FeatureScaler): number[] {
  const size = inputs.length / count;
  const weight = scaler && scaler.std.length === size ? scaler.std.map((s) => 1 / (s * s)) : undefined;
  return Array.from({ length: count }, (_, i) => {
    let sum = 0;
    for (let j = i * size, f = 0; j < (i + 1) * size; j++, f++) sum += (inputs[j] - outputs[j]) ** 2 * (weight ? weight[f] : 1);
    return sum / size;
  });
}
