import { tf } from '@aekit/core';

type TimeDistributedLayer = ReturnType<typeof tf.layers.timeDistributed>;
type TimeDistributedArgs = Parameters<typeof tf.layers.timeDistributed>[0];

/** tfjs' own TimeDistributed class, as its serialization registry holds it (the namespace exports only the factory). */
const TfjsTimeDistributed = tf.serialization.SerializationMap.getMap().classNameMap.TimeDistributed![0] as unknown as new (
  args: TimeDistributedArgs,
) => TimeDistributedLayer;

/**
 * tfjs' TimeDistributed wrapper, applying its layer to every step at once:
 * `[batch, steps, ...]` is reshaped to `[batch x steps, ...]`, the layer
 * runs once, and the result is reshaped back, as Keras does where it can.
 * tfjs' own splits the sequence into steps and runs the layer once a step
 * (for the LSTM family's per-step output layer, 28 products and as many
 * slices, stacks and their gradients a batch). The layer must treat the
 * examples of a batch independently, which is what TimeDistributed means.
 * The config and class name (`TimeDistributed`) are tfjs', so saved models
 * and their ONNX export are the same.
 */
export class BatchedTimeDistributed extends TfjsTimeDistributed {
  /**
   * @param args - The wrapper's settings, as `tf.layers.timeDistributed` takes them (`layer`: the layer to apply at every step).
   */
  constructor(args: TimeDistributedArgs) {
    super(args);
  }

  /**
   * Runs the wrapped layer on every step of `inputs` in one call.
   *
   * @param inputs - `[batch, steps, ...]`.
   * @param kwargs - Passed to the wrapped layer, as tfjs does.
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [batch, steps, ...rest] = x.shape;
      const output = this.layer.call(tf.reshape(x, [batch! * steps!, ...rest]), kwargs);
      const y = Array.isArray(output) ? output[0]! : output;
      return tf.reshape(y, [batch!, steps!, ...y.shape.slice(1)]);
    });
  }
}
