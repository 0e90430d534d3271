import { stepsOfMnistEpochs, type TrainingDefaults } from '@aekit/core';

/**
 * Training settings of the Keras blog's MNIST autoencoders ("Building
 * Autoencoders in Keras"): 50 epochs of batches of 256, stated as their
 * step budget (10,550 optimizer steps), which `ae train` spreads over as
 * many epochs as the data at hand needs (50 on MNIST; smaller batches and
 * hundreds of epochs on a table of a few hundred rows). The optimizer is
 * the trainer's default, Adam with learning rate 1e-3, as in the blog. One
 * thread: these models are too small for a second thread to pay for
 * exchanging weights and gradients (`pnpm bench --families dense` compares
 * thread counts; bench/results.md).
 */
export const TUTORIAL_TRAINING: TrainingDefaults = Object.freeze({ steps: stepsOfMnistEpochs(50, 256), epochs: 50, batchSize: 256, workers: 1 });
