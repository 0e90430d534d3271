import { tf } from '../tf.js';
import { backendHasKernel } from '../kernel-contracts/backend-has-kernel.js';
import { ADAM_UPDATE, type AdamUpdateAttrs } from '../kernel-contracts/adam-update.js';

/** The slot variables tfjs' AdamOptimizer keeps (private in its typings). */
interface AdamSlots {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
}

/**
 * tfjs' Adam, with each variable's update run as one kernel
 * (`AekitAdamUpdate`) where the backend registers it (aekit's wasm) instead
 * of fourteen; elsewhere tfjs' own update runs. The kernel does the same
 * float32 operations in the same order, so training gives the same weights
 * bit for bit, and the state (`getWeights`, checkpoints, the class name
 * `Adam`) is tfjs'. The update runs on the calling thread while worker
 * threads wait, so its fourteen small kernels a variable were a serial
 * part of every step.
 *
 * @example
 * ```ts
 * import { FusedAdamOptimizer, tf } from '@aekit/core';
 *
 * const w = tf.variable(tf.tensor1d([1, 2, 3]));
 * const optimizer = new FusedAdamOptimizer(0.001); // what createOptimizer('adam') returns
 * optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar); // one step: w is [0.999, 1.999, 2.999]
 * optimizer.getClassName(); // 'Adam': checkpoints and getWeights stay tfjs'
 * ```
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /**
   * @param learningRate - Step size.
   * @param beta1 - Decay of the first moment estimate.
   * @param beta2 - Decay of the second moment estimate.
   * @param epsilon - Added to the denominator; the backend's epsilon when omitted.
   */
  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  /**
   * Applies one step; see tfjs' `Optimizer.applyGradients`.
   *
   * @param variableGradients - The gradient of each variable, by variable name or as a list of names and tensors.
   */
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!backendHasKernel(ADAM_UPDATE)) {
      super.applyGradients(variableGradients);
      return;
    }
    const slots = this as unknown as AdamSlots;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const attrs: AdamUpdateAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      learningRate: this.learningRate,
      c1: 1 - slots.accBeta1.dataSync()[0]!,
      c2: 1 - slots.accBeta2.dataSync()[0]!,
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        // The slots tfjs would make, under the names it would give them.
        slots.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        slots.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient: tf.Tensor | undefined = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient == null) return;
        const m = slots.accumulatedFirstMoment[i]!.variable;
        const v = slots.accumulatedSecondMoment[i]!.variable;
        const inputs = { value, m, v, gradient } as unknown as tf.NamedTensorMap;
        const [newValue, newM, newV] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      slots.accBeta1.assign(tf.mul(slots.accBeta1, this.beta1));
      slots.accBeta2.assign(tf.mul(slots.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
