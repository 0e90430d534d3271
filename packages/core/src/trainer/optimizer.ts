import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';
import { FusedAdamOptimizer } from './fused-adam-optimizer.js';

/** Optimizers that can be named in options and on the command line. */
export const OPTIMIZER_NAMES = ['adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta', 'sgd'] as const;

/** Name of a built-in optimizer. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The learning rate each built-in optimizer uses when none is given (Keras' defaults, Adamax's from its paper). */
export const DEFAULT_LEARNING_RATES: Readonly<Record<OptimizerName, number>> = {
  adam: 0.001,
  adamax: 0.002,
  rmsprop: 0.001,
  adagrad: 0.01,
  adadelta: 1.0,
  sgd: 0.01,
};

/**
 * Creates a tfjs optimizer by name with the given learning rate. `adam` is
 * {@link FusedAdamOptimizer}: tfjs' Adam, one kernel a variable on wasm.
 *
 * @example
 * ```ts
 * import { createOptimizer } from '@aekit/core';
 *
 * const sgd = createOptimizer('sgd', 0.01); // tfjs' SGDOptimizer, learning rate 0.01
 * const adam = createOptimizer('adam'); // a FusedAdamOptimizer, learning rate 0.001 (Keras' default)
 * ```
 * @param name - One of {@link OPTIMIZER_NAMES}.
 * @param learningRate - Step size; the optimizer's usual default when omitted.
 */
export function createOptimizer(name: string, learningRate?: number): tf.Optimizer {
  const rate = learningRate ?? DEFAULT_LEARNING_RATES[name as OptimizerName];
  switch (name) {
    case 'adam':
      return new FusedAdamOptimizer(rate);
    case 'adamax':
      return tf.train.adamax(rate);
    case 'rmsprop':
      return tf.train.rmsprop(rate);
    case 'adagrad':
      return tf.train.adagrad(rate);
    case 'adadelta':
      return tf.train.adadelta(rate);
    case 'sgd':
      return tf.train.sgd(rate);
    default:
      throw new ConfigError('optimizer', `unknown optimizer '${name}'; expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
}
