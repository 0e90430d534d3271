import type { z } from 'zod';
import type { Autoencoder } from './autoencoder.js';
import type { Dataset } from './dataset.js';
import type { NoiseSpec } from './noise.js';
import type { FigureWriter } from './figures.js';
import type { DataDescription } from './data-description.js';

/** What a family's factory is told about the data and the run. */
export interface BuildContext {
  /** Seed of the run; weight initialisation is already seeded by the registry. */
  seed: number;
  /** Shape of one example of the data, e.g. `[28, 28, 1]` for MNIST images. */
  dataShape: readonly number[];
  /**
   * What the data is, when the model is built to train on it (not when a
   * saved model is loaded: its config already holds what the data chose).
   * The registry passes it to {@link ModelFamily.configFor} first.
   */
  data?: DataDescription;
}

/** Training settings a family suggests, applied unless the user overrides them. */
export interface TrainingDefaults {
  /** Passes over the training set. */
  epochs?: number;
  /** Examples per gradient step. */
  batchSize?: number;
  /** The optimizer's learning rate. */
  learningRate?: number;
  /**
   * Threads that share each batch (`fit`'s `workers`) unless `--workers`
   * says otherwise. When unset, `ae train` uses one per core, with at least
   * 32 examples each. Families whose steps are too short for a second
   * thread to pay set 1: for the MNIST dense autoencoders the exchange of
   * weights and gradients cost as much as the second core saved.
   */
  workers?: number;
  /** Denoising families train with noise by default. */
  noise?: NoiseSpec;
  /** The dataset this family trains on unless `--dataset` says otherwise (MNIST by default). */
  dataset?: string;
}

/** What a family's {@link ModelFamily.report} hook receives after training. */
export interface ReportContext {
  /** The trained autoencoder. */
  autoencoder: Autoencoder;
  /** Test data in the model's input shape, with labels where the data has them. */
  test: Dataset;
  /** Name of each label class (sub-folders, a label column's values), for legends: class `i` is `classes[i]`; class numbers where absent. */
  classes?: readonly string[];
  /** The noise the model was trained with, if any. */
  noise?: NoiseSpec;
  /** Seed of the run, for any draw the report makes. */
  seed: number;
  /** Writes pictures into the run directory. */
  figures: FigureWriter;
  /**
   * Prints a line for the user.
   *
   * @param line - Text to print, without a newline.
   */
  log(line: string): void;
}

/**
 * The plugin contract for one autoencoder family: a name, a validated config
 * schema with defaults, and a factory. Families register themselves with the
 * {@link FamilyRegistry}; core knows none of them by name.
 */
export interface ModelFamily<Schema extends z.ZodType = z.ZodType> {
  /** Unique name used on the command line, e.g. `dense`. */
  readonly name: string;
  /** One line for `ae list`. */
  readonly description: string;
  /** zod schema of the config, with a default for every field. */
  readonly configSchema: Schema;
  /** Training settings this family works best with. */
  readonly training?: TrainingDefaults;
  /**
   * The config for training on data so described: fills in the settings
   * whose default depends on the data (an output layer and loss for
   * unbounded values) and throws a `ConfigError` naming the setting that
   * contradicts it (a sigmoid output on standardised columns). Without
   * this hook a family trains only on values in [0, 1], and the registry
   * refuses other data in one line.
   *
   * @param config - The config given (before defaults).
   * @param data - What the data reader said about the data.
   */
  configFor?(config: Readonly<Record<string, unknown>>, data: DataDescription): Record<string, unknown>;
  /**
   * Builds an untrained autoencoder from a validated config. Called inside a
   * seeded scope, so layers created here are initialised reproducibly.
   *
   * @param config - The family's config, parsed by its schema with defaults filled in.
   * @param context - The seed and the shape of one example of the data.
   */
  create(config: z.output<Schema>, context: BuildContext): Autoencoder;
  /**
   * How to draw one code as a small grayscale picture `[height, width]`
   * between the originals and the reconstructions, or undefined.
   *
   * @param autoencoder - The trained model whose codes are drawn.
   */
  codeImageShape?(autoencoder: Autoencoder): readonly [number, number] | undefined;
  /**
   * Family-specific results after training: extra pictures in the run
   * directory and extra fields for `metrics.json`.
   *
   * @param context - The trained model, its test data, the noise and seed of the run, a figure writer for the run directory and a logger.
   */
  report?(context: ReportContext): Promise<Record<string, unknown> | void>;
}
