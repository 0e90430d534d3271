import { tf } from '@aekit/core';
import { backendHasKernel } from '@aekit/core/kernels';
import { RELU_GRAD } from './name.js';

/**
 * The ReLU's gradient as tfjs defines it, `dy * cast(step(x), 'float32')`,
 * computed by {@link RELU_GRAD} where the backend registers it (aekit's
 * wasm) and by those three ops elsewhere. Every convolutional and dense
 * layer with a ReLU runs it: three passes over the layer's output become
 * one (`node bench/kernels.mjs` times both).
 * Registered in place of tfjs' own, with the same results.
 * @internal
 */
export const reluGradConfig: tf.GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [tf.Tensor];
    const upstream = dy as tf.Tensor;
    const oneKernel =
      x.dtype === 'float32' &&
      upstream.dtype === 'float32' &&
      tf.util.arraysEqual(x.shape, upstream.shape) &&
      backendHasKernel(RELU_GRAD);
    return {
      x: () => (oneKernel ? (tf.engine().runKernel(RELU_GRAD, { x, dy: upstream }) as tf.Tensor) : tf.mul(upstream, tf.cast(tf.step(x), 'float32'))),
    };
  },
};
