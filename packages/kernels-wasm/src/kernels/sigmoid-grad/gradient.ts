import { tf } from '@aekit/core';
import { backendHasKernel } from '@aekit/core/kernels';
import { SIGMOID_GRAD } from './name.js';

/**
 * The sigmoid's gradient as tfjs defines it, `dy * (y * (1 - y))` from the
 * saved output `y`, computed by {@link SIGMOID_GRAD} where the backend
 * registers it (aekit's wasm, and the native kernels) and by those three ops
 * elsewhere. Every output layer of the dense, deep and variational families
 * is a sigmoid over the whole image batch: three passes over it and two
 * temporaries become one pass. Registered in place of tfjs' own, with the
 * same floats.
 * @internal
 */
export const sigmoidGradConfig: tf.GradConfig = {
  kernelName: 'Sigmoid',
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved as [tf.Tensor];
    const upstream = dy as tf.Tensor;
    const oneKernel =
      y.dtype === 'float32' && upstream.dtype === 'float32' && tf.util.arraysEqual(y.shape, upstream.shape) && backendHasKernel(SIGMOID_GRAD);
    return {
      x: () => (oneKernel ? (tf.engine().runKernel(SIGMOID_GRAD, { y, dy: upstream }) as tf.Tensor) : tf.mul(upstream, tf.mul(y, tf.sub(tf.scalar(1), y)))),
    };
  },
};
