import { z } from 'zod';
import { tf } from '../tf.js';
import type { DivergenceSign } from '../errors.js';

/**
 * When a run counts as diverging. The NaN guard alone misses divergence
 * under a clipped loss (binary cross-entropy stays finite while the weights
 * reach 1e16), so the trainer also watches the size of the weights and the
 * level of the loss.
 */
export interface DivergenceCheck {
  /**
   * Stop when the root mean square of the trainable weights exceeds this
   * many times its value at the start of the session (1000 by default;
   * training at learning rates that still work was measured to grow it at
   * most 50 times).
   */
  weightGrowth?: number;
  /**
   * Stop when the mean loss over the last `window` batches exceeds this many
   * times the lowest such mean so far and 1.5 times the untrained model's
   * loss (2.5 by default): a run that has become worse than where it began.
   */
  lossRise?: number;
  /** Batches the loss is averaged over (20 by default; at most an epoch's). */
  window?: number;
}

/** Schema of {@link DivergenceCheck}, or `false` to turn the check off. */
export const divergenceCheckSchema = z.union([
  z.literal(false),
  z
    .object({
      weightGrowth: z.number().finite().gt(1).default(1000),
      lossRise: z.number().finite().gt(1).default(2.5),
      window: z.number().int().positive().default(20),
    })
    .strict(),
]);

/** A loss must also be this many times the untrained model's to count as risen. */
const ABOVE_START = 1.5;

/** After the first steps of a session, the weights are measured every this many steps. */
const WEIGHT_CHECK_EVERY = 16;

/** Weights with an RMS below this count as this, so that near-zero initialisations do not make any growth look explosive. */
const RMS_FLOOR = 0.01;

/**
 * Watches one training session for divergence: the weights' RMS against its
 * value when the session started, and the windowed loss against the lowest
 * so far and the untrained model's.
 * @internal
 */
export class DivergenceGuard {
  private startRms: number | undefined;
  private startLoss: number | undefined;
  private bestLoss = Number.POSITIVE_INFINITY;
  private readonly recent: number[] = [];
  private readonly window: number;

  /**
   * @param check - Thresholds, filled with their defaults.
   * @param batchesPerEpoch - The window is at most one epoch.
   * @param startLoss - The untrained model's loss when resuming (the first epoch's), else the first batch's is taken.
   */
  constructor(
    private readonly check: Required<DivergenceCheck>,
    batchesPerEpoch: number,
    startLoss?: number,
  ) {
    this.window = Math.max(1, Math.min(check.window, batchesPerEpoch));
    this.startLoss = startLoss;
  }

  /**
   * Whether to measure the weights before this step: the first steps of a
   * session (a learning rate of 1e6 shows at once), then every
   * {@link WEIGHT_CHECK_EVERY}th, so the check costs about 1% of a dense
   * model's step time.
   *
   * @param step - Steps run in this session so far.
   */
  wantsWeights(step: number): boolean {
    return step < 4 || step % WEIGHT_CHECK_EVERY === 0;
  }

  /**
   * The RMS of a model's trainable weights.
   *
   * @param model - The model whose weights are watched.
   */
  static weightRms(model: tf.LayersModel): number {
    const weights = model.trainableWeights.map((w) => w.read());
    const count = weights.reduce((n, w) => n + w.size, 0);
    if (count === 0) return 0;
    const sum = tf.tidy(() => tf.addN(weights.map((w) => tf.sum(tf.square(w)))));
    const value = sum.dataSync()[0];
    sum.dispose();
    return Math.sqrt(value / count);
  }

  /**
   * Judges the weights before a step (when measured) and that step's loss.
   *
   * @param seen - The RMS of the trainable weights when measured (see {@link DivergenceGuard.weightRms}), and the batch's finite loss when there is one.
   * @returns What shows divergence, or undefined.
   */
  observe(seen: { rms?: number; loss?: number }): DivergenceSign | undefined {
    const { rms, loss } = seen;
    if (rms !== undefined) {
      this.startRms ??= rms;
      if (!Number.isFinite(rms) || rms > this.check.weightGrowth * Math.max(this.startRms, RMS_FLOOR)) {
        return { kind: 'weights', rms, startRms: this.startRms, loss: loss ?? this.recent.at(-1) ?? Number.NaN };
      }
    }
    if (loss === undefined) return undefined;
    this.startLoss ??= loss;
    this.recent.push(loss);
    if (this.recent.length > this.window) this.recent.shift();
    if (this.recent.length < this.window) return undefined;
    const mean = this.recent.reduce((a, b) => a + b, 0) / this.recent.length;
    this.bestLoss = Math.min(this.bestLoss, mean, this.startLoss);
    // Ratios mean nothing for losses that can be negative (log-likelihoods).
    if (this.bestLoss <= 0) return undefined;
    if (mean > this.check.lossRise * this.bestLoss && mean > ABOVE_START * this.startLoss) {
      return { kind: 'loss', loss: mean, startLoss: this.startLoss, bestLoss: this.bestLoss };
    }
    return undefined;
  }
}

/**
 * The learning rate of a tfjs optimizer, from its config.
 *
 * @param optimizer - Any tfjs optimizer.
 */
export function learningRateOf(optimizer: tf.Optimizer): number | undefined {
  const rate = (optimizer.getConfig() as { learningRate?: unknown }).learningRate;
  return typeof rate === 'number' ? rate : undefined;
}
