import { commandOptions, flagName, integerIn, option, pluginCommand, positiveNumber, z, type OptionValues } from '@aekit/core';
import { generateSeriesOptionsSchema } from '../series/generate.js';
import { DETECT_MODEL_DEFAULTS, detectOptionsSchema } from './detect.js';

/** Defaults of the generated series and of detection, as the command shows them. */
const GENERATOR = generateSeriesOptionsSchema.parse({ anomalies: {} });
const DETECT = detectOptionsSchema.parse({});

/** The options of `ae detect`, declared once: flags, help, defaults and checks derive from it. */
export const detectOptions = commandOptions({
  input: option(z.string().min(1), {
    value: 'file',
    help: 'CSV file: a header row, one numeric column per signal, optional label (0/1) and time columns; without it a series is generated',
  }),
  length: option(integerIn({ min: 64 }), { value: 'n', help: 'points in the generated series', default: GENERATOR.length }),
  channels: option(integerIn({ min: 1, max: 64 }), { value: 'n', help: 'signals in the generated series', default: GENERATOR.channels }),
  anomalies: option(integerIn({ min: 0 }), { value: 'n', help: 'anomalies injected into the test part of the generated series', default: GENERATOR.anomalies!.count }),
  window: option(integerIn({ min: 2 }), { value: 'n', help: 'points per window', default: DETECT.window }),
  trainFraction: option(z.number().gt(0).lt(1), { value: 'f', help: 'share of the series, from its start, used for training (assumed normal)', default: DETECT.trainFraction }),
  percentile: option(z.number().min(0).max(100), { value: 'p', help: 'threshold: this percentile of the training scores', default: DETECT.percentile }),
  detrend: option(z.boolean(), { help: 'do not remove a linear trend fitted on the training part', default: DETECT.detrend }),
  epochs: option(integerIn({ min: 1 }), { value: 'n', help: 'training epochs', default: DETECT.epochs }),
  batchSize: option(integerIn({ min: 1 }), { value: 'n', help: 'windows per gradient step', default: DETECT.batchSize }),
  learningRate: option(positiveNumber(), { value: 'r', help: 'Adam learning rate', default: DETECT.learningRate }),
  latentDim: option(integerIn({ min: 1 }), { value: 'n', help: `code size (default: ${DETECT_MODEL_DEFAULTS.latentDim})` }),
  units: option(integerIn({ min: 1 }), { value: 'n', help: `LSTM units (default: ${DETECT_MODEL_DEFAULTS.units})` }),
  seed: option(integerIn({ min: 0 }), { value: 'n', help: 'seed of the generated series, weights and shuffling', default: DETECT.seed }),
  config: option(z.string().min(1), { value: 'json', help: 'further lstm config as JSON, e.g. {"layers":2,"bidirectional":true}' }),
  out: option(z.string().min(1), { value: 'dir', help: 'directory for metrics.json, scores.csv, plots and the model', default: 'runs/detect' }),
});

/** The checked options of `ae detect`. */
export type DetectFlags = OptionValues<typeof detectOptions.shape>;

/**
 * `ae detect`: anomaly detection on a time series with the `lstm` family.
 * It generates a series with labelled anomalies (or reads one from
 * `--input file.csv`), trains on windows of the training part, scores and
 * flags the test part, and writes `metrics.json`, `scores.csv`,
 * `series.png`, `scores.png` and the trained `model/` into `--out`.
 */
export const detectCommand = pluginCommand({
  name: 'detect',
  description: 'find anomalies in a time series with an LSTM autoencoder (generated, or read from a CSV file)',
  options: detectOptions,
  async run(_args, flags, io): Promise<void> {
    // File system work lives in its own module, loaded only when the command runs,
    // so that importing the plugin stays free of Node-only modules.
    const { runDetect } = await import('./run-detect.js');
    await runDetect(flags, io);
  },
});

/**
 * Checks the command's options; errors name the flag, e.g.
 * `--batch-size: expected an integer ≥ 1, got "0"`.
 *
 * @param options - Option values by camel-cased key (command-line text or numbers).
 * @throws ConfigError naming the flag.
 */
export function parseFlags(options: Record<string, unknown>): DetectFlags {
  return detectOptions.parse(options);
}

/** The flag of a camel-cased option name; core's, re-exported here for compatibility. */
export { flagName };
