import { flagName, parseCommandOptions, z, type CommandIO, type PluginCommand } from '@aekit/core';
import { generateSeriesOptionsSchema } from '../series/generate.js';
import { DETECT_MODEL_DEFAULTS, detectOptionsSchema } from './detect.js';

/** Defaults of the generated series and of detection, as the command shows them. */
const GENERATOR = generateSeriesOptionsSchema.parse({ anomalies: {} });
const DETECT = detectOptionsSchema.parse({});

const count = () => z.coerce.number().int().positive();

/** The command's options as commander hands them over (strings), validated and converted. */
const flagsSchema = z.object({
  input: z.string().min(1).optional(),
  length: count().min(64).default(GENERATOR.length),
  channels: count().max(64).default(GENERATOR.channels),
  anomalies: z.coerce.number().int().nonnegative().default(GENERATOR.anomalies!.count),
  window: count().min(2).default(DETECT.window),
  trainFraction: z.coerce.number().gt(0).lt(1).default(DETECT.trainFraction),
  percentile: z.coerce.number().min(0).max(100).default(DETECT.percentile),
  detrend: z.boolean().default(DETECT.detrend),
  epochs: count().default(DETECT.epochs),
  batchSize: count().default(DETECT.batchSize),
  learningRate: z.coerce.number().positive().default(DETECT.learningRate),
  latentDim: count().optional(),
  units: count().optional(),
  seed: z.coerce.number().int().default(DETECT.seed),
  config: z.string().optional(),
  out: z.string().min(1).default('runs/detect'),
});

/** The validated options of `ae detect`. */
export type DetectFlags = z.output<typeof flagsSchema>;

/**
 * `ae detect`: anomaly detection on a time series with the `lstm` family.
 * It generates a series with labelled anomalies (or reads one from
 * `--input file.csv`), trains on windows of the training part, scores and
 * flags the test part, and writes `metrics.json`, `scores.csv`,
 * `series.png`, `scores.png` and the trained `model/` into `--out`.
 */
export const detectCommand: PluginCommand = {
  name: 'detect',
  description: 'find anomalies in a time series with an LSTM autoencoder (generated, or read from a CSV file)',
  options: [
    { flags: '--input <file>', description: 'CSV file: a header row, one numeric column per signal, optional label (0/1) and time columns; without it a series is generated' },
    { flags: '--length <n>', description: 'points in the generated series', default: String(GENERATOR.length) },
    { flags: '--channels <n>', description: 'signals in the generated series', default: String(GENERATOR.channels) },
    { flags: '--anomalies <n>', description: 'anomalies injected into the test part of the generated series', default: String(GENERATOR.anomalies!.count) },
    { flags: '--window <n>', description: 'points per window', default: String(DETECT.window) },
    { flags: '--train-fraction <f>', description: 'share of the series, from its start, used for training (assumed normal)', default: String(DETECT.trainFraction) },
    { flags: '--percentile <p>', description: 'threshold: this percentile of the training scores', default: String(DETECT.percentile) },
    { flags: '--no-detrend', description: 'do not remove a linear trend fitted on the training part' },
    { flags: '--epochs <n>', description: 'training epochs', default: String(DETECT.epochs) },
    { flags: '--batch-size <n>', description: 'windows per gradient step', default: String(DETECT.batchSize) },
    { flags: '--learning-rate <r>', description: 'Adam learning rate', default: String(DETECT.learningRate) },
    { flags: '--latent-dim <n>', description: `code size (default: ${DETECT_MODEL_DEFAULTS.latentDim})` },
    { flags: '--units <n>', description: `LSTM units (default: ${DETECT_MODEL_DEFAULTS.units})` },
    { flags: '--seed <n>', description: 'seed of the generated series, weights and shuffling', default: String(DETECT.seed) },
    { flags: '--config <json>', description: 'further lstm config as JSON, e.g. {"layers":2,"bidirectional":true}' },
    { flags: '--out <dir>', description: 'directory for metrics.json, scores.csv, plots and the model', default: 'runs/detect' },
  ],
  async run(_args: string[], options: Record<string, unknown>, io: CommandIO): Promise<void> {
    const flags = parseFlags(options);
    // File system work lives in its own module, loaded only when the command runs,
    // so that importing the plugin stays free of Node-only modules.
    const { runDetect } = await import('./run-detect.js');
    await runDetect(flags, io);
  },
};

/**
 * Validates the command's options; errors name the flag, e.g.
 * `--batch-size: Too small: expected number to be >0, got "0"`.
 *
 * @param options - commander's camel-cased option values.
 * @throws ConfigError naming the flag.
 */
export function parseFlags(options: Record<string, unknown>): DetectFlags {
  return parseCommandOptions(flagsSchema, options, 'flag');
}

/** The flag of a camel-cased option name; core's, re-exported here for compatibility. */
export { flagName };
