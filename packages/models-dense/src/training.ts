import type { TrainingDefaults } from '@aekit/core';

/**
 * Training settings of the Keras blog's MNIST autoencoders ("Building
 * Autoencoders in Keras"): 50 epochs of batches of 256. The optimizer is the
 * trainer's default, Adam with learning rate 1e-3, as in the blog. One
 * thread: `pnpm bench` measured a second one at 0.70x (dense) and 0.96x
 * (deep) the speed of one on 2 cores, and 1.01x for dense at batch 2048.
 */
export const TUTORIAL_TRAINING: TrainingDefaults = Object.freeze({ epochs: 50, batchSize: 256, workers: 1 });
