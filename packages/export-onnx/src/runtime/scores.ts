/**
 * Mean squared error between each input item and its reconstruction: the
 * anomaly score of an autoencoder (high for items unlike its training data).
 *
 * @param inputs - `count` items, row-major.
 * @param outputs - Their reconstructions, same layout.
 * @param count - Number of items.
 */
export function meanSquaredErrors(inputs: Float32Array, outputs: Float32Array, count: number): number[] {
  const size = inputs.length / count;
  return Array.from({ length: count }, (_, i) => {
    let sum = 0;
    for (let j = i * size; j < (i + 1) * size; j++) sum += (inputs[j] - outputs[j]) ** 2;
    return sum / size;
  });
}
