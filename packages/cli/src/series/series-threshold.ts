import { percentile, scoreSeriesWindows, SeriesWindows, windowStarts, type Autoencoder } from '@aekit/core';
import type { AnomalyThreshold } from '@aekit/core/node';
import type { SeriesRunData } from './series-data.js';

/** The percentile of the validation points' scores that becomes the threshold unless `--percentile` says otherwise. */
export const DEFAULT_PERCENTILE = 99;

/**
 * Chooses the anomaly threshold of a series model: the `percentile`-th
 * percentile of the point scores (and of the window scores) of the
 * validation part, which the model did not learn from. Without a
 * validation part (`--validation-split 0`), of the training part's, which
 * the model has seen, so the threshold is lower than it should be; the
 * threshold says which.
 *
 * @param autoencoder - The trained model.
 * @param data - The run's series and its parts.
 * @param chosenPercentile - The percentile, {@link DEFAULT_PERCENTILE} by default.
 */
export async function chooseSeriesThreshold(autoencoder: Autoencoder, data: SeriesRunData, chosenPercentile = DEFAULT_PERCENTILE): Promise<AnomalyThreshold> {
  const { preprocessing, parts } = data;
  const windows =
    data.validation ??
    new SeriesWindows(data.series, preprocessing, windowStarts({ window: preprocessing.window, from: preprocessing.difference, to: parts.trainEnd }));
  const scores = await scoreSeriesWindows(autoencoder, windows.reshape(autoencoder.inputShape));
  const from = windows.starts[0];
  const to = windows.starts[windows.size - 1] + preprocessing.window;
  const points = scores.pointScores.subarray(from, to);
  return {
    value: percentile(points, chosenPercentile),
    window: percentile(scores.windowScores, chosenPercentile),
    percentile: chosenPercentile,
    chosenOn: data.validation ? `the ${points.length} validation points` : `the ${points.length} training points (no validation part)`,
  };
}
