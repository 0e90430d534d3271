import type { z } from 'zod';
import type { Autoencoder } from './autoencoder.js';
import type { Dataset } from './dataset.js';
import type { NoiseSpec } from './noise.js';
import type { FigureWriter } from './figures.js';
import type { DataEncoding } from './data-encoding.js';

/** What a family's factory is told about the data and the run. */
export interface BuildContext {
  /** Seed of the run; weight initialisation is already seeded by the registry. */
  seed: number;
  /** Shape of one example of the data, e.g. `[28, 28, 1]` for MNIST images. */
  dataShape: readonly number[];
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

/** What the `ae` tool hands a plugin command besides its arguments. */
export interface CommandIO {
  /**
   * Prints a line for the user.
   *
   * @param line - Text to print, without a newline.
   */
  log(line: string): void;
  /** The backend the tool selected (from `--backend`) before running the command. */
  backend: string;
  /**
   * A figure writer for pictures in the given directory.
   *
   * @param dir - Directory the pictures are written to.
   */
  figures(dir: string): FigureWriter;
  /**
   * Starts a progress bar of `total` steps; call `update` with the step count done.
   *
   * @param label - Text shown before the bar.
   * @param total - Number of steps of the whole task.
   */
  progress(label: string, total: number): { update(done: number, values?: Record<string, string | number>): void; stop(): void };
}

/** A subcommand that a plugin adds to the `ae` command-line tool. */
export interface PluginCommand {
  /** Subcommand name, e.g. `detect`. */
  readonly name: string;
  /** One line for `ae --help`. */
  readonly description: string;
  /** Positional arguments, in order. */
  readonly arguments?: readonly { name: string; description: string; required?: boolean }[];
  /** Options in commander's syntax, e.g. `{ flags: '--epochs <n>', description: '…', default: '10' }`. */
  readonly options?: readonly { flags: string; description: string; default?: string }[];
  /**
   * Runs the command; throw an `AeError` for a one-line user-facing failure.
   * `options` holds commander's camel-cased option values (strings, booleans or arrays).
   *
   * @param args - The command's positional arguments, in order.
   * @param options - The command's options by camel-cased name.
   * @param io - Output, backend, figure writer and progress bars of this run.
   */
  run(args: string[], options: Record<string, unknown>, io: CommandIO): Promise<void>;
}

/** Options a {@link DatasetProvider} receives from `ae train`. */
export interface DatasetLoadOptions {
  /** Use only the first N training examples. */
  trainLimit?: number;
  /** Use only the first N test examples. */
  testLimit?: number;
  /** A directory of the user's own files, where the provider reads any. */
  dir?: string;
  /** Seed for generated data. */
  seed: number;
  /** For tables: the column kept out of training as each row's label. */
  label?: string;
  /** Skip (and count) bad rows or files instead of stopping at the first. */
  skipBad?: boolean;
  /** Reuse this encoding (a saved model's) instead of fitting one on the training split. */
  encoding?: DataEncoding;
}

/** Training and test data from a {@link DatasetProvider}. */
export interface LoadedDataset {
  train: Dataset;
  test: Dataset;
  /** Where the data came from, for `metrics.json` (a directory, or a generator's settings). */
  source: string;
  /** How raw data became these examples (a table's columns and scaler); saved with the model. */
  encoding?: DataEncoding;
  /**
   * Config values this data needs from a family that has the setting, e.g.
   * `{ output: 'linear' }` for standardised (unbounded) table features.
   */
  familyConfig?: Record<string, unknown>;
  /** Lines for the user about the data, e.g. how many bad rows were skipped. */
  warnings?: string[];
}

/**
 * A named source of training data that a plugin adds, selected with
 * `ae train --dataset <name>`; MNIST is the built-in default. Examples are
 * images `[height, width, channels]` with values in [0, 1].
 */
export interface DatasetProvider {
  readonly name: string;
  readonly description: string;
  /**
   * Loads the training and test sets and says where they came from.
   *
   * @param options - What `ae train` was asked for: limits, a data directory and the seed.
   */
  load(options: DatasetLoadOptions): Promise<LoadedDataset>;
}

/** What a plugin package exports as `plugin`: its families and commands. */
export interface AutoencoderPlugin {
  /** The package name, for messages. */
  readonly name: string;
  /** The families it adds. */
  readonly families: readonly ModelFamily[];
  /** Extra `ae` subcommands. */
  readonly commands?: readonly PluginCommand[];
  /** Extra data sources for `ae train --dataset`. */
  readonly datasets?: readonly DatasetProvider[];
  /**
   * The URL of the module that exports this plugin as `plugin`; set it to
   * `import.meta.url`. Training with `workers` above 1 imports it in each
   * worker thread to build the same model there.
   */
  readonly module?: string;
}
