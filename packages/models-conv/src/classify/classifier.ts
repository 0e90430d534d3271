import { tf, withSeededMathRandom } from '@aekit/core';

/** Side below which the classifier stops pooling: 28 → 14 → 7. */
const MIN_POOLED_SIDE = 7;

/**
 * Builds and compiles the small classifier of `ae classify`; Adam,
 * categorical cross-entropy, an accuracy metric.
 *
 * Image-like inputs `[h, w, c]` get 3x3 relu convolutions with 2x2 max
 * pooling until the maps are about 7 wide (two stages of 16 and 32 filters
 * for 28x28 digits); inputs already that small, such as a 4x4x8 or 7x7x32
 * code, get one 32-filter convolution without pooling. Then a dense layer
 * of 64 and a softmax. Flat inputs (a dense code) skip the convolutions.
 *
 * @param inputShape - Shape of one input: an image, or an autoencoder's code.
 * @param classes - Number of classes (10 digits).
 * @param seed - Seed of the weight initialisation.
 */
export function buildClassifier(inputShape: readonly number[], classes: number, seed: number): tf.Sequential {
  return withSeededMathRandom(seed, () => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [...inputShape] }));
    if (inputShape.length === 3) {
      const poolings = poolingStages(Math.min(inputShape[0], inputShape[1]));
      if (poolings === 0) model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
      for (let i = 0; i < poolings; i++) {
        model.add(tf.layers.conv2d({ filters: 16 * 2 ** i, kernelSize: 3, padding: 'same', activation: 'relu' }));
        model.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
      }
    }
    if (inputShape.length !== 1) model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  });
}

/** How many 2x2 poolings keep a map of this side at least {@link MIN_POOLED_SIDE} wide. */
function poolingStages(side: number): number {
  let stages = 0;
  for (let s = side; Math.ceil(s / 2) >= MIN_POOLED_SIDE; s = Math.ceil(s / 2)) stages++;
  return stages;
}
