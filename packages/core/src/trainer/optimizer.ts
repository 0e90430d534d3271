import { tf } from '../tf.js';
import { ConfigError } from '../errors.js';
import { FusedAdamOptimizer } from './fused-adam-optimizer.js';

/** Optimizers that can be named in options and on the command line. */
export const OPTIMIZER_NAMES = ['adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta', 'sgd'] as const;

/** Name of a built-in optimizer. */
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * Creates a tfjs optimizer by name with the given learning rate. `adam` is
 * {@link FusedAdamOptimizer}: tfjs' Adam, one kernel a variable on wasm.
 *
 * @param name - One of {@link OPTIMIZER_NAMES}.
 * @param learningRate - Step size; the optimizer's usual default when omitted.
 */
export function createOptimizer(name: string, learningRate?: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return new FusedAdamOptimizer(learningRate ?? 0.001);
    case 'adamax':
      return tf.train.adamax(learningRate ?? 0.002);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate ?? 0.001);
    case 'adagrad':
      return tf.train.adagrad(learningRate ?? 0.01);
    case 'adadelta':
      return tf.train.adadelta(learningRate ?? 1.0);
    case 'sgd':
      return tf.train.sgd(learningRate ?? 0.01);
    default:
      throw new ConfigError('optimizer', `unknown optimizer '${name}'; expected one of ${OPTIMIZER_NAMES.join(', ')}`);
  }
}
