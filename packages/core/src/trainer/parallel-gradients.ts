import type { Autoencoder } from '../autoencoder.js';
import type { tf } from '../tf.js';
import { ConfigError } from '../errors.js';
import type { FamilyRegistry } from '../registry.js';
import type { BatchGradients, GradientSettings } from './gradients.js';

/**
 * A batch's gradients computed in shares on several threads (`fit`'s
 * `workers`). Core's main entry only knows this contract; Node's worker
 * threads implement it in `@aekit/core/node`, which registers them when it
 * is imported, so that nothing of Node reaches a browser bundle of core.
 */
export interface ParallelGradients {
  /** Threads in all, the calling one included. */
  readonly threads: number;
  /** The loss and gradients of a batch; the caller owns the result. */
  batchGradients(autoencoder: Autoencoder, input: tf.Tensor, target: tf.Tensor, settings: GradientSettings): Promise<BatchGradients>;
  /** Stops the threads. */
  close(): Promise<void>;
}

/** Starts `count` threads (the calling one included) that compute gradients of `autoencoder`. */
export type ParallelGradientsStarter = (autoencoder: Autoencoder, count: number, registry: FamilyRegistry) => Promise<ParallelGradients>;

let starter: ParallelGradientsStarter | undefined;

/** Sets how `fit` trains on several threads; `@aekit/core/node` calls it with Node's worker threads. */
export function registerParallelGradients(start: ParallelGradientsStarter): void {
  starter = start;
}

/**
 * Starts the registered threads.
 *
 * @throws ConfigError (field `workers`) when none are registered: in a
 *   browser, or in Node before `@aekit/core/node` was imported.
 */
export function startParallelGradients(autoencoder: Autoencoder, count: number, registry: FamilyRegistry): Promise<ParallelGradients> {
  if (!starter) {
    const inNode = typeof process !== 'undefined' && !!process.versions?.node;
    throw new ConfigError(
      'workers',
      inNode
        ? `training on ${count} threads needs Node's worker threads: import '@aekit/core/node' once before fit, or use workers: 1`
        : 'worker threads need Node.js; use workers: 1 here',
    );
  }
  return starter(autoencoder, count, registry);
}
