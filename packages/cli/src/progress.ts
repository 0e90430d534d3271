import cliProgress from 'cli-progress';
import type { EpochRecord, TrainingCallbacks, TrainBeginInfo } from '@aekit/core';

/**
 * Formats seconds as `1h02m`, `3m05s` or `12s`.
 *
 * @example
 * ```ts
 * import { formatDuration } from '@aekit/cli';
 *
 * formatDuration(3725); // '1h02m'
 * formatDuration(185); // '3m05s'
 * formatDuration(12); // '12s'
 * ```
 * @param seconds - Duration in seconds.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/**
 * Formats a loss with four significant digits.
 *
 * @example
 * ```ts
 * import { formatLoss } from '@aekit/cli';
 *
 * formatLoss(0.0123456); // '0.01235'
 * formatLoss(undefined); // '-'
 * ```
 * @param value - The loss, or undefined (printed as `-`).
 */
export function formatLoss(value: number | undefined): string {
  return value === undefined ? '-' : value.toPrecision(4);
}

/**
 * Training callbacks that show a live progress bar (cli-progress, a
 * maintained terminal progress bar) with epoch, batch, loss, validation
 * loss and ETA on a terminal, and one line per epoch elsewhere (CI logs).
 *
 * @example
 * ```ts
 * import { fit, type Autoencoder, type Dataset } from '@aekit/core';
 * import { progressCallbacks } from '@aekit/cli';
 *
 * declare const autoencoder: Autoencoder;
 * declare const train: Dataset;
 * await fit(autoencoder, train, { epochs: 5, callbacks: [progressCallbacks(console.log)] });
 * // a live bar on a terminal; one line per epoch in a CI log
 * ```
 * @param log - Where epoch lines go when there is no terminal.
 * @param interactive - Draw a bar; true when stderr is a terminal.
 */
export function progressCallbacks(log: (line: string) => void, interactive = Boolean(process.stderr.isTTY)): TrainingCallbacks {
  let bar: cliProgress.SingleBar | undefined;
  let info: TrainBeginInfo;
  let started = 0;
  let stepsDone = 0;
  let lastValLoss: number | undefined;
  return {
    onTrainBegin(begin) {
      info = begin;
      started = Date.now();
      if (!interactive) return;
      bar = new cliProgress.SingleBar(
        {
          format: 'epoch {epoch}/{epochs} |{bar}| batch {batch}/{batches} loss {loss} val {val} eta {eta_h}',
          barsize: 24,
          hideCursor: true,
          stream: process.stderr,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start((begin.epochs - begin.initialEpoch) * begin.batchesPerEpoch, 0, payload(begin.initialEpoch, 0, undefined, ''));
    },
    onBatchEnd(batch) {
      stepsDone++;
      if (bar) {
        const elapsed = (Date.now() - started) / 1000;
        const remaining = ((info.epochs - info.initialEpoch) * info.batchesPerEpoch - stepsDone) * (elapsed / stepsDone);
        bar.update(stepsDone, { ...payload(batch.epoch, batch.batch + 1, batch.epochLoss, formatLoss(lastValLoss)), eta_h: formatDuration(remaining) });
      }
    },
    onEpochEnd(record: EpochRecord) {
      lastValLoss = record.valLoss;
      if (!bar) {
        const val = record.valLoss === undefined ? '' : ` val_loss ${formatLoss(record.valLoss)}`;
        log(`epoch ${record.epoch + 1}/${info.epochs} loss ${formatLoss(record.loss)}${val} (${formatDuration(record.seconds)})`);
      }
    },
    onTrainEnd() {
      bar?.stop();
    },
  };

  function payload(epoch: number, batch: number, loss: number | undefined, val: string) {
    return { epoch: epoch + 1, epochs: info.epochs, batch, batches: info.batchesPerEpoch, loss: formatLoss(loss), val, eta_h: '--' };
  }
}

/** A plain progress bar for plugin commands (falls back to nothing off a terminal). */
export function simpleProgress(label: string, total: number, interactive = Boolean(process.stderr.isTTY)) {
  if (!interactive) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} |{bar}| {value}/{total} {info}`, barsize: 24, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return {
    update(done: number, values: Record<string, string | number> = {}) {
      bar.update(done, { info: Object.entries(values).map(([k, v]) => `${k} ${v}`).join(' ') });
    },
    stop: () => bar.stop(),
  };
}
