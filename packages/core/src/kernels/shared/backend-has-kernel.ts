import { tf } from '../../tf.js';

/** Whether the backend in use registers kernel `name`; where it does not, callers compose the same result from tfjs ops. @internal */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
