import { FamilyRegistry, range, tf, type Autoencoder, type Dataset } from '@aekit/core';
import { loadMnist } from '@aekit/data-mnist';
import { plugin } from '../src/index.js';

/** A registry of its own with this package's plugin, so tests share no state. */
export function denseRegistry(): FamilyRegistry {
  const registry = new FamilyRegistry();
  registry.use(plugin);
  return registry;
}

/** The first MNIST images, as flat 784-vectors in [0, 1]. */
export async function mnistSubset(trainSize: number, testSize: number): Promise<{ train: Dataset; test: Dataset }> {
  const { train, test } = await loadMnist({ trainLimit: trainSize, testLimit: testSize });
  return { train: train.reshape([784]), test: test.reshape([784]) };
}

/** Binary cross-entropy of always answering the per-pixel mean of `train`: what a model learns first. */
export function meanImageBce(train: Dataset, test: Dataset): number {
  return tf.tidy(() => {
    const mean = tf.clipByValue(tf.mean(train.batch(range(0, train.size)), 0), 1e-7, 1 - 1e-7);
    const x = test.batch(range(0, test.size));
    const bce = tf.neg(tf.add(tf.mul(x, tf.log(mean)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, mean)))));
    return tf.mean(bce).dataSync()[0];
  });
}

/** Mean squared error between two tensors of the same shape, as a number. */
export function mse(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]);
}

/** The autoencoder's weights as plain arrays, for comparing two models. */
export function weightsOf(autoencoder: Autoencoder): number[][] {
  return autoencoder.model.getWeights().map((w) => Array.from(w.dataSync()));
}
