import { tf } from '../tf.js';
import { DENSE_ACTIVATIONS, dense, denseAvailable, type DenseActivation } from './dense.js';

/** The parts of tfjs-layers' Dense layer the route reads, which its typings keep to the class. */
interface DenseLayerParts {
  kernel: { read(): tf.Tensor } | null;
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): void;
}

type DenseCall = (this: DenseLayerParts, inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict) => tf.Tensor | tf.Tensor[];

/** Whether the route stands in tfjs' `call` already. */
let routed = false;

/** The activation to run the one kernel with, or undefined where tfjs' own `call` must run. */
function oneKernelActivation(layer: DenseLayerParts, inputs: tf.Tensor | tf.Tensor[]): DenseActivation | undefined {
  const xs = Array.isArray(inputs) ? inputs : [inputs];
  const x = xs[0];
  const kernel = layer.kernel?.read();
  if (xs.length !== 1 || !x || !kernel || x.rank !== 2 || kernel.rank !== 2) return undefined;
  if (x.dtype !== 'float32' || kernel.dtype !== 'float32' || x.shape[1] !== kernel.shape[0]) return undefined;
  const name = layer.activation.getClassName();
  const activation = DENSE_ACTIVATIONS.find((known) => known === name);
  return activation && denseAvailable() ? activation : undefined;
}

/**
 * Runs every tfjs-layers `Dense` layer as one kernel forward and one backward
 * ({@link dense}) where the backend in use registers them and the call is a
 * plain one: one rank-2 float32 input and an activation of
 * {@link DENSE_ACTIVATIONS}. Everything else (softmax, a rank-3 input,
 * another backend) runs tfjs' own `call` unchanged. Why: tfjs' fused product
 * un-fuses itself whenever gradients are recorded, so in training each
 * Dense layer ran a product, a bias addition and an activation forward and
 * about five kernels back, each through the engine and the tape.
 *
 * The layer class is tfjs' own, only its `call` is wrapped (once, in place
 * on the prototype), so saved models, configs and the ONNX export are
 * unchanged. Called by {@link useKernels} when a kernel package is added;
 * idempotent.
 *
 * @example
 * ```ts
 * import { routeDenseLayers } from '@aekit/core/kernels';
 * routeDenseLayers(); // tf.layers.dense layers now take the one-kernel path where the backend has it
 * ```
 */
export function routeDenseLayers(): void {
  if (routed) return;
  // The class as tfjs' serialization registry holds it (the namespace exports only the factory); making a
  // layer to reach it would take a name from tfjs' counter and shift every later layer's default name.
  const denseClass = tf.serialization.SerializationMap.getMap().classNameMap.Dense?.[0] as unknown as { prototype: { call: DenseCall } } | undefined;
  if (!denseClass) return;
  const prototype = denseClass.prototype;
  const own = prototype.call;
  routed = true;
  prototype.call = function routedCall(this: DenseLayerParts, inputs, kwargs) {
    const activation = oneKernelActivation(this, inputs);
    if (!activation) return own.call(this, inputs, kwargs);
    return tf.tidy(() => {
      // As tfjs' call does first (tests set hooks through it).
      this.invokeCallHook(inputs, kwargs);
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      return dense(x, this.kernel!.read(), this.bias ? this.bias.read() : null, activation);
    });
  };
}
