import type { EpochRecord } from './events.js';

/** Options of early stopping. */
export interface EarlyStoppingOptions {
  /** Which loss to watch: `valLoss` (default when there is validation data) or `loss`. */
  monitor?: 'loss' | 'valLoss';
  /** Epochs without improvement before stopping; 5 by default. */
  patience?: number;
  /** Smallest decrease that counts as improvement; 0 by default. */
  minDelta?: number;
  /** Put back the weights of the best epoch when stopping; true by default. */
  restoreBestWeights?: boolean;
}

/**
 * Tracks the monitored loss across epochs and says when to stop. Knows
 * nothing of weights; the trainer keeps a copy of the best ones.
 * @internal
 */
export class EarlyStopping {
  best = Number.POSITIVE_INFINITY;
  wait = 0;
  bestEpoch = -1;

  constructor(
    private readonly monitor: 'loss' | 'valLoss',
    private readonly patience: number,
    private readonly minDelta: number,
    state?: { best: number; wait: number; bestEpoch: number },
  ) {
    if (state) Object.assign(this, { best: state.best, wait: state.wait, bestEpoch: state.bestEpoch });
  }

  /** The counters, for a checkpoint. */
  state(): { best: number; wait: number; bestEpoch: number } {
    return { best: this.best, wait: this.wait, bestEpoch: this.bestEpoch };
  }

  /** Records an epoch; returns whether it is the best so far and whether to stop. */
  update(record: EpochRecord): { improved: boolean; stop: boolean } {
    const value = this.monitor === 'valLoss' ? (record.valLoss ?? record.loss) : record.loss;
    if (value < this.best - this.minDelta) {
      this.best = value;
      this.bestEpoch = record.epoch;
      this.wait = 0;
      return { improved: true, stop: false };
    }
    this.wait++;
    return { improved: false, stop: this.wait >= this.patience };
  }
}
