import { z } from 'zod';
import { positiveNumber } from '../config.js';

/**
 * What aekit's saved files must hold, checked when they are read back: a
 * `model.json`, a checkpoint's `state.json` or a run's `metrics.json` from
 * a download, another user or a damaged disk is reported in one line naming
 * the file and field, instead of failing somewhere later (or allocating what
 * a corrupted shape asks for).
 */

const count = () => z.number().int().nonnegative();
const finite = () => z.number().finite();
const sha256 = () => z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a SHA-256 in hex' });

/** A tensor shape in a saved file: at most six non-negative integer dimensions. */
const shapeSchema = z.array(count()).max(6);

/** One example's shape: one to six positive dimensions. */
export const exampleShapeSchema = z.array(z.number().int().positive()).min(1).max(6);

/** One tensor in a tfjs weights manifest, as aekit writes it (no quantization, no groups). */
export const weightSpecSchema = z
  .object({ name: z.string().min(1), shape: shapeSchema, dtype: z.enum(['float32', 'int32', 'bool']) })
  .strict();

/** A table's columns and labels, as saved with a model trained on a table; keys other encodings add pass through. */
const tableEncodingSchema = z
  .object({
    columns: z.array(
      z.union([
        z.object({ name: z.string(), kind: z.literal('numeric') }).strict(),
        z.object({ name: z.string(), kind: z.literal('categorical'), categories: z.array(z.string()) }).strict(),
      ]),
    ),
    label: z.string().optional(),
    labelClasses: z.array(z.string()).optional(),
  })
  .passthrough();

/** The data encoding kept with a model: a scaler and a table's layout, each checked; other kinds pass through. */
export const dataEncodingSchema = z
  .object({
    scaler: z
      .object({ mean: z.array(finite()), std: z.array(finite().positive()) })
      .strict()
      .refine((s) => s.mean.length === s.std.length, { error: 'has mean and std of different lengths' })
      .optional(),
    table: tableEncodingSchema.optional(),
  })
  .passthrough();

/** The anomaly threshold kept with a model (`AnomalyThreshold`): `ae score` and servers flag items with it. */
const anomalyThresholdSchema = z
  .object({
    value: finite(),
    window: finite().optional(),
    percentile: z.number().min(0).max(100),
    chosenOn: z.string(),
  })
  .strict();

/** `userDefinedMetadata.aekit` of a saved model. */
export const savedModelMetadataSchema = z
  .object({
    format: z.literal('aekit-autoencoder'),
    version: z.literal(1),
    family: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    dataShape: exampleShapeSchema,
    inputShape: exampleShapeSchema,
    latentShape: exampleShapeSchema,
    weightsSha256: sha256(),
    encoding: dataEncodingSchema.optional(),
    threshold: anomalyThresholdSchema.optional(),
  })
  .passthrough();

/** The parts of a `model.json` aekit reads (the topology is rebuilt from the family and config instead). */
export const modelJsonSchema = z
  .object({
    weightsManifest: z.array(z.object({ paths: z.array(z.string()).length(1), weights: z.array(weightSpecSchema) }).passthrough()).length(1, {
      error: 'must list one group of weights, as saveAutoencoder writes',
    }),
    userDefinedMetadata: z.object({ aekit: savedModelMetadataSchema }).passthrough(),
  })
  .passthrough();

/** A weights file as a checkpoint refers to it. */
export const weightsFileEntrySchema = z.object({ file: z.string(), sha256: sha256(), specs: z.array(weightSpecSchema) }).strict();

const epochRecordSchema = z
  .object({
    epoch: count(),
    loss: finite(),
    terms: z.record(z.string(), finite()),
    valLoss: finite().optional(),
    valTerms: z.record(z.string(), finite()).optional(),
    seconds: finite().nonnegative(),
  })
  .strict();

/** Where a run is; `best` of early stopping is infinite (saved as null) before the first epoch ends. */
const progressSchema = z
  .object({
    epoch: count(),
    batch: count(),
    history: z.array(epochRecordSchema),
    partial: z
      .object({ lossSum: finite(), termSums: z.record(z.string(), finite()), seen: count(), seconds: finite().nonnegative() })
      .strict(),
    earlyStopping: z
      .object({
        best: finite()
          .nullable()
          .transform((v) => v ?? Number.POSITIVE_INFINITY),
        wait: count(),
        bestEpoch: z.number().int().min(-1),
      })
      .strict()
      .optional(),
  })
  .strict();

const rate = () => positiveNumber();
const unit = () => finite().min(0).lt(1);
const epsilon = () => finite().nonnegative();

/**
 * The optimizers a checkpoint may name, with their settings checked as a
 * new run's would be: a class name is looked up here, never in tfjs'
 * registry of every serializable class (which holds layers too, and whose
 * prototype answers to `constructor` and `__proto__`).
 */
export const OPTIMIZER_CONFIG_SCHEMAS = {
  Adam: z.object({ learningRate: rate(), beta1: unit(), beta2: unit(), epsilon: epsilon() }).strict(),
  Adamax: z.object({ learningRate: rate(), beta1: unit(), beta2: unit(), epsilon: epsilon(), decay: finite().nonnegative() }).strict(),
  RMSProp: z.object({ learningRate: rate(), decay: unit(), momentum: finite().nonnegative(), epsilon: epsilon(), centered: z.boolean() }).strict(),
  Adagrad: z.object({ learningRate: rate(), initialAccumulatorValue: finite().nonnegative() }).strict(),
  Adadelta: z.object({ learningRate: rate(), rho: finite().min(0).max(1), epsilon: epsilon() }).strict(),
  SGD: z.object({ learningRate: rate() }).strict(),
  Momentum: z.object({ learningRate: rate(), momentum: finite().nonnegative(), useNesterov: z.boolean() }).strict(),
} as const;

const optimizerNames = Object.keys(OPTIMIZER_CONFIG_SCHEMAS) as [keyof typeof OPTIMIZER_CONFIG_SCHEMAS, ...(keyof typeof OPTIMIZER_CONFIG_SCHEMAS)[]];

const optimizerSchema = z
  .object({
    className: z.enum(optimizerNames, { error: `must be one of ${optimizerNames.join(', ')}` }),
    config: z.record(z.string(), z.unknown()),
    state: weightsFileEntrySchema.optional(),
    scalars: z.record(z.string(), finite()),
  })
  .strict()
  .superRefine((optimizer, context) => {
    const issue = OPTIMIZER_CONFIG_SCHEMAS[optimizer.className].safeParse(optimizer.config).error?.issues[0];
    if (issue) context.addIssue({ code: 'custom', message: issue.message, path: ['config', ...issue.path] });
  });

/** A checkpoint's `state.json`. The run's own settings (`run`) are the caller's to check. */
export const checkpointFileSchema = z
  .object({
    format: z.literal('aekit-checkpoint'),
    version: z.literal(1),
    savedAt: z.string(),
    reason: z.enum(['interval', 'end', 'aborted']),
    family: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    dataShape: exampleShapeSchema,
    run: z.record(z.string(), z.unknown()),
    progress: progressSchema,
    weights: weightsFileEntrySchema,
    optimizer: optimizerSchema,
    bestWeights: weightsFileEntrySchema.optional(),
  })
  .strict();
