import { tf } from './tf.js';
import type { ForwardPass } from './autoencoder.js';

/** Where training is when a loss is computed; lets terms follow a schedule. */
export interface LossState {
  /** Zero-based epoch (fractional within an epoch is not used). */
  epoch: number;
  /** True during a training step, false during evaluation. */
  training: boolean;
}

/**
 * One additive part of a training objective: a reconstruction error or a
 * regularizer. Terms read what they need from the {@link ForwardPass}.
 */
export interface LossTerm {
  /** Short name used in logs and `metrics.json`, e.g. `bce`, `kl`. */
  readonly name: string;
  /**
   * The term's value on a batch, as a scalar tensor.
   *
   * @param pass - The model's forward pass on the batch: reconstruction, code and extras.
   * @param target - What the reconstruction should be (the clean batch for denoisers).
   * @param state - Training progress (epoch) that terms such as a KL warm-up read.
   */
  compute(pass: ForwardPass, target: tf.Tensor, state: LossState): tf.Scalar;
}

/** The value of a {@link Loss} on a batch: the total and each term. */
export interface LossValue {
  total: tf.Scalar;
  terms: Record<string, tf.Scalar>;
}

/**
 * A training objective: the sum of its terms. The first term is the
 * reconstruction error; the rest are regularizers.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropy, Loss, tf, type ForwardPass } from '@aekit/core';
 *
 * declare const x: tf.Tensor; // a batch
 * declare const pass: ForwardPass; // autoencoder.forward(x, { training: true, seed: 0 })
 * const loss = new Loss([binaryCrossEntropy()]);
 * const { total, terms } = loss.compute(pass, x, { epoch: 0, training: true });
 * total.dataSync()[0]; // the batch's loss; terms.bce holds the same value, as bce is the only term
 * ```
 */
export class Loss {
  /** The terms, reconstruction first. */
  readonly terms: readonly LossTerm[];

  /** @param terms - At least one term; names must be unique. */
  constructor(terms: readonly LossTerm[]) {
    if (terms.length === 0) throw new Error('a loss needs at least one term');
    const names = new Set(terms.map((t) => t.name));
    if (names.size !== terms.length) throw new Error(`loss term names must be unique: ${terms.map((t) => t.name)}`);
    this.terms = terms;
  }

  /**
   * Computes every term and their sum.
   *
   * @param pass - The model's forward pass on the batch: reconstruction, code and extras.
   * @param target - What the reconstruction should be (the clean batch for denoisers).
   * @param state - Training progress (epoch) that terms such as a KL warm-up read.
   */
  compute(pass: ForwardPass, target: tf.Tensor, state: LossState): LossValue {
    const terms: Record<string, tf.Scalar> = {};
    for (const term of this.terms) terms[term.name] = term.compute(pass, target, state);
    const values = Object.values(terms);
    const total = (values.length === 1 ? tf.clone(values[0]) : tf.addN(values)) as tf.Scalar;
    return { total, terms };
  }
}

/**
 * Composes loss terms into a {@link Loss}, e.g.
 * `composeLoss(binaryCrossEntropy(), l1ActivityPenalty(1e-5))`.
 *
 * @param terms - Reconstruction term first, then regularizers.
 * @example
 * ```ts
 * import { binaryCrossEntropy, composeLoss, l1ActivityPenalty, tf } from '@aekit/core';
 *
 * const loss = composeLoss(binaryCrossEntropy(), l1ActivityPenalty(0.1));
 * const target = tf.tensor2d([[1, 0]]);
 * const pass = { input: target, output: tf.tensor2d([[0.9, 0.2]]), code: tf.tensor2d([[0.5, -1.5]]), extras: {} };
 * const { total, terms } = loss.compute(pass, target, { epoch: 0, training: true });
 * total.dataSync()[0]; // 0.364: bce 0.164 + l1 0.1 * (0.5 + 1.5)
 * Object.keys(terms); // ['bce', 'l1']
 * ```
 */
export function composeLoss(...terms: LossTerm[]): Loss {
  return new Loss(terms);
}
