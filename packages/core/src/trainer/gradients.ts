import { tf } from '../tf.js';
import type { Autoencoder } from '../autoencoder.js';

/** What one gradient computation needs besides the data. */
export interface GradientSettings {
  /** Epoch, for scheduled loss terms (a VAE's KL warm-up). */
  epoch: number;
  /** Seed of the forward pass's random draws (a VAE's sampling). */
  forwardSeed: number;
  /** True lengths of padded sequences, one per example, where the data has them. */
  lengths?: Int32Array;
}

/**
 * The loss of one batch and its gradients with respect to the trainable
 * variables, in the order of `autoencoder.trainableVariables` (null for a
 * variable the loss does not depend on). The caller owns every tensor.
 */
export interface BatchGradients {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
  grads: (tf.Tensor | null)[];
}

/**
 * Runs the forward pass and the loss on one batch and differentiates it.
 * Shared by the single-threaded trainer and the data-parallel workers, so
 * both compute exactly the same thing.
 *
 * @param autoencoder - The model.
 * @param input - What the model sees (possibly corrupted).
 * @param target - What it should reconstruct.
 * @param settings - Epoch, forward seed and sequence lengths.
 */
export function batchGradients(autoencoder: Autoencoder, input: tf.Tensor, target: tf.Tensor, settings: GradientSettings): BatchGradients {
  let terms: Record<string, tf.Scalar> = {};
  const variables = autoencoder.trainableVariables;
  const { value, grads } = tf.variableGrads(() => {
    const pass = autoencoder.forward(input, { training: true, seed: settings.forwardSeed, lengths: settings.lengths });
    const loss = autoencoder.loss.compute(pass, target, { epoch: settings.epoch, training: true });
    terms = Object.fromEntries(Object.entries(loss.terms).map(([k, t]) => [k, tf.keep(t)]));
    return loss.total;
  }, variables);
  return { total: value, terms, grads: variables.map((v) => grads[v.name] ?? null) };
}

/** The gradients as the map `optimizer.applyGradients` takes, skipping variables without one. */
export function gradientMap(autoencoder: Autoencoder, grads: readonly (tf.Tensor | null)[]): tf.NamedTensorMap {
  const map: tf.NamedTensorMap = {};
  autoencoder.trainableVariables.forEach((v, i) => {
    const g = grads[i];
    if (g) map[v.name] = g;
  });
  return map;
}

/**
 * `tf.tidy` for a function that returns {@link BatchGradients}: every
 * intermediate tensor is freed, the returned ones kept. (tidy's types do
 * not admit the nulls in `grads`; at run time it skips them.)
 */
export function tidyGradients(fn: () => BatchGradients): BatchGradients {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as BatchGradients;
}

/** Frees every tensor of a {@link BatchGradients}. */
export function disposeGradients(result: BatchGradients): void {
  tf.dispose([result.total, ...Object.values(result.terms), ...result.grads.filter((g): g is tf.Tensor => g !== null)]);
}
