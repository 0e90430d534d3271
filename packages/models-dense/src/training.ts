import type { TrainingDefaults } from '@aekit/core';

/**
 * Training settings of the Keras blog's MNIST autoencoders ("Building
 * Autoencoders in Keras"): 50 epochs of batches of 256. The optimizer is the
 * trainer's default, Adam with learning rate 1e-3, as in the blog. One
 * thread: these models are too small for a second thread to pay for
 * exchanging weights and gradients (`pnpm bench --families dense` compares
 * thread counts; bench/results.md).
 */
export const TUTORIAL_TRAINING: TrainingDefaults = Object.freeze({ epochs: 50, batchSize: 256, workers: 1 });
