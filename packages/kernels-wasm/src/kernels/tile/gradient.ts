import { tf } from '@aekit/core';

/**
 * `Tile`'s gradient as one sum: `dy` of shape `[reps[0] x[0], reps[1]
 * x[1], …]` seen as `[reps[0], x[0], reps[1], x[1], …]` and summed over
 * the repeated axes. tfjs' own slices `dy` once per repetition and adds the
 * slices one by one (28 Slice and Add kernels for the lstm family's
 * RepeatVector, most of its decoder's backward pass outside the LSTM) and
 * stops at rank 4; the same sums, in another order. Registered in place of
 * tfjs' own.
 * @internal
 */
export const tileGradConfig: tf.GradConfig = {
  kernelName: 'Tile',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [tf.Tensor];
    const { reps } = attrs as unknown as { reps: number[] };
    return {
      x: () => {
        const repeated = reps.flatMap((r, i) => (r > 1 ? [2 * i] : []));
        if (repeated.length === 0) return tf.reshape(dy as tf.Tensor, x.shape);
        return tf.reshape(tf.sum(tf.reshape(dy as tf.Tensor, x.shape.flatMap((n, i) => [reps[i]!, n])), repeated), x.shape);
      },
    };
  },
};
