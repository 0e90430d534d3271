import { z, ConfigError, describeValues, positiveInt, sizeOfShape, type DataFacts } from '@aekit/core';

/** Activations the output layer can have. */
export const OUTPUT_ACTIVATIONS = ['linear', 'sigmoid', 'tanh'] as const;

/**
 * zod schema of the `lstm` family's config. Every field has a default;
 * `timesteps` and `features` default to the data's shape.
 */
export const lstmConfigSchema = z
  .strictObject({
    /** Steps per sequence; from the data shape when omitted (28 for MNIST rows). */
    timesteps: positiveInt().optional(),
    /** Values per step; from the data shape when omitted (28 for MNIST rows). */
    features: positiveInt().optional(),
    /**
     * Size of the code the encoder turns a sequence into. When training on data and none is given, a quarter
     * of a sequence's values, between 2 and 32 (see {@link defaultLstmLatentDim}); 32 otherwise.
     */
    latentDim: positiveInt().default(32),
    /** Units of the LSTM layers other than the encoder's last. */
    units: positiveInt().default(64),
    /** Stacked LSTM layers in the encoder and, as many, in the decoder. */
    layers: positiveInt().max(4).default(1),
    /** Read each sequence in both directions when encoding. */
    bidirectional: z.boolean().default(false),
    /** Activation of the per-step output layer: `sigmoid` for values in [0, 1] such as MNIST rows. */
    outputActivation: z.enum(OUTPUT_ACTIVATIONS).default('linear'),
    /** Reconstruction loss: mean squared error, or binary cross-entropy (needs a sigmoid output). */
    loss: z.enum(['mse', 'bce']).default('mse'),
    /**
     * Run each LSTM layer's whole sequence as one kernel where the backend has it (`@aekit/kernels-wasm` on wasm),
     * and the per-step output layer on all steps at once; false runs tfjs-layers' step-by-step graphs. The weights
     * and the saved model are the same either way.
     */
    fused: z.boolean().default(true),
  })
  .refine((c) => c.loss !== 'bce' || c.outputActivation === 'sigmoid', {
    path: ['outputActivation'],
    message: "loss 'bce' needs outputActivation 'sigmoid'",
  });

/** The validated config of the `lstm` family. */
export type LstmConfig = z.output<typeof lstmConfigSchema>;

/** How the model sees one example: the data's shape and the `[timesteps, features]` it reads it as. */
export interface SequenceShape {
  /** Shape of one example as the data has it, e.g. `[28, 28, 1]`. */
  inputShape: readonly number[];
  timesteps: number;
  features: number;
}

/**
 * Works out the `[timesteps, features]` view of the data: `[T, F]` as is,
 * `[T, F, 1]` (an image) as `[T, F]`, `[T]` as `T` steps of one value.
 * `timesteps` and `features` in the config override that, as long as they
 * cover the example exactly.
 *
 * @param config - The validated config.
 * @param dataShape - Shape of one example of the data.
 * @throws ConfigError naming `timesteps` or `features` when they do not fit the data.
 */
export function resolveSequenceShape(config: Pick<LstmConfig, 'timesteps' | 'features'>, dataShape: readonly number[]): SequenceShape {
  const size = sizeOfShape(dataShape);
  if (dataShape.length === 0 || !(size > 0)) throw new ConfigError('lstm.dataShape', `cannot read examples of shape [${dataShape}] as sequences`);
  const natural = dataShape.length === 1 ? [dataShape[0], 1] : [dataShape[0], size / dataShape[0]];
  const timesteps = config.timesteps ?? (config.features ? size / config.features : natural[0]);
  const features = config.features ?? size / timesteps;
  const field = config.timesteps !== undefined ? 'timesteps' : 'features';
  if (!Number.isInteger(timesteps) || !Number.isInteger(features) || timesteps * features !== size) {
    throw new ConfigError(`lstm.${field}`, `${config[field]} does not divide examples of shape [${dataShape}] (${size} values) into whole steps`);
  }
  return { inputShape: [...dataShape], timesteps, features };
}

/**
 * The code size the `lstm` family takes when none is given: a quarter of a
 * sequence's values, at least 2 and at most 32. A code as wide as the
 * sequence lets the model copy its input instead of learning its shape
 * (`ae train` warns of it): a window of 32 points of one signal gets 8, MNIST
 * rows (784 values) keep 32.
 *
 * @example
 * ```ts
 * import { defaultLstmLatentDim } from '@aekit/models-seq';
 *
 * defaultLstmLatentDim([32, 1]); // 8
 * ```
 * @param dataShape - Shape of one example.
 */
export function defaultLstmLatentDim(dataShape: readonly number[]): number {
  return Math.min(32, Math.max(2, Math.round(sizeOfShape(dataShape) / 4)));
}

/**
 * The `lstm` family's `configFor` hook: its default linear output and mean
 * squared error suit any data; on unbounded data (a table, a standardised
 * series) a bounded output layer (`sigmoid`, `tanh`) is refused, naming
 * the setting; the code size follows the data where none is given
 * ({@link defaultLstmLatentDim}).
 *
 * @param config - The config given.
 * @param data - What the data reader said about the data, and the shape of one example.
 * @throws ConfigError naming `lstm.outputActivation`.
 */
export function lstmConfigFor(config: Readonly<Record<string, unknown>>, data: DataFacts): Record<string, unknown> {
  const output = config.outputActivation;
  if (data.values === 'unbounded' && (output === 'sigmoid' || output === 'tanh')) {
    throw new ConfigError('lstm.outputActivation', `'${output}' is bounded, and this data has ${describeValues(data)}; use 'linear' or leave outputActivation out`);
  }
  return { ...config, latentDim: config.latentDim ?? defaultLstmLatentDim(data.dataShape) };
}
