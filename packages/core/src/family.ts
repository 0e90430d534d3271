import type { z } from 'zod';
import type { Autoencoder } from './autoencoder.js';
import type { Dataset } from './dataset.js';
import type { NoiseSpec } from './noise.js';
import type { FigureWriter } from './figures.js';
import type { DataDescription, ValueRange } from './data-description.js';
import type { RunWarning } from './diagnostics/run-warnings.js';

/**
 * What a family is told about the data its config is chosen for (see
 * {@link ModelFamily.configFor}): the reader's description of the values
 * and the shape of one example.
 */
export interface DataFacts extends DataDescription {
  /** Shape of one example, e.g. `[28, 28, 1]` for MNIST, `[18]` for a table of 18 features. */
  readonly dataShape: readonly number[];
}

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
  /**
   * Optimizer steps the family needs to train, whatever the size of the
   * data: `ae train` turns it into epochs for the data at hand (see
   * `planTraining`), and warns when epochs asked for give fewer. The
   * families state their tutorials' budgets with `stepsOfMnistEpochs`.
   */
  steps?: number;
  /** Passes over the training set, for a family without a step budget. */
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
   * Records a one-line warning about the run (printed, and kept in
   * `metrics.json`'s `warnings`), such as a VAE's posterior collapse.
   * `ae train` always gives it; a caller of the hook may not.
   *
   * @param warning - What the problem is, as a code and a line.
   */
  warn?(warning: RunWarning): void;
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
   * The config for training on this data, the one place where a family's
   * defaults follow the data: it fills in the settings the user left out
   * whose best value depends on the data (an output layer and loss for
   * unbounded values, a code smaller than a table's width, convolutions as
   * deep as the images are large) and throws a `ConfigError` naming the
   * setting that contradicts the data (a sigmoid output on standardised
   * columns). Settings given are kept; nothing is returned changed for
   * data the schema's defaults suit (the MNIST shape, for the tutorial
   * families). The registry calls it before the schema fills defaults.
   *
   * @param config - The config given (before defaults).
   * @param data - What the data reader said about the values, and the shape of an example.
   */
  configFor?(config: Readonly<Record<string, unknown>>, data: DataFacts): Record<string, unknown>;
  /**
   * The ranges of values this family reconstructs (see `VALUE_RANGES`).
   * When not given: every range for a family with {@link configFor},
   * values in [0, 1] only for one without. The registry refuses data of
   * another range in one line naming the families that take it.
   */
  readonly values?: readonly ValueRange[];
  /**
   * The kinds of data files this family reads best, best first, where a
   * file could be read more than one way: `['series']` makes
   * `ae train <family> --data file.csv` read the file as a time series cut
   * into windows rather than as a table of independent rows.
   */
  readonly dataKinds?: readonly string[];
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
