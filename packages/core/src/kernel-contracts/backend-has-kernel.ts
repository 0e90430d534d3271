import { tf } from '../tf.js';

/**
 * Whether the backend in use registers kernel `name`; where it does not,
 * callers compose the same result from tfjs ops.
 *
 * @param name - A kernel's name in tfjs, such as `AekitAdamUpdate`.
 */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
