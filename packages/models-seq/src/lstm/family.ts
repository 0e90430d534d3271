import {
  tf,
  binaryCrossEntropy,
  composeAutoencoder,
  composeLoss,
  meanSquaredError,
  parseConfig,
  stack,
  withSeededMathRandom,
  type BuildContext,
  type ModelFamily,
} from '@aekit/core';
import { lstmConfigFor, lstmConfigSchema, resolveSequenceShape, type LstmConfig, type SequenceShape } from './config.js';
import { FusedLstm } from './fused-lstm.js';
import { BatchedTimeDistributed } from './time-distributed.js';
import { LstmAutoencoder, type EncoderLayers } from './lstm-autoencoder.js';

/**
 * The `lstm` family: the classic sequence-to-sequence autoencoder. An LSTM
 * encoder reads the sequence and its last state is the code; the code is
 * repeated once per step (RepeatVector) and an LSTM decoder with a
 * per-step dense layer (TimeDistributed) writes the sequence back.
 */
export const lstmFamily: ModelFamily<typeof lstmConfigSchema> = {
  name: 'lstm',
  description: 'sequence-to-sequence LSTM autoencoder (MNIST rows as sequences, time-series windows)',
  configSchema: lstmConfigSchema,
  configFor: lstmConfigFor,
  training: { epochs: 5, batchSize: 32, learningRate: 0.005 },
  create: buildFromConfig,
  codeImageShape(autoencoder) {
    return nearSquare(autoencoder.latentShape.reduce((a, b) => a * b, 1));
  },
};

/**
 * Validates a config and builds an untrained `lstm` autoencoder with seeded
 * weights, as the registry does, without needing the family registered.
 *
 * @param config - Untrusted config; missing fields take their defaults.
 * @param context - Seed and the shape of one example.
 * @throws ConfigError naming the offending field.
 */
export function createLstmAutoencoder(config: unknown, context: BuildContext): LstmAutoencoder {
  const parsed = parseConfig(lstmConfigSchema, config, 'lstm');
  return withSeededMathRandom(context.seed, () => buildFromConfig(parsed, context));
}

function buildFromConfig(config: LstmConfig, context: BuildContext): LstmAutoencoder {
  const shape = resolveSequenceShape(config, context.dataShape);
  // The autoencoder records the resolved shape, so a saved model rebuilds without its data.
  const resolved = { ...config, timesteps: shape.timesteps, features: shape.features };
  return withoutOrthogonalSizeWarning(() => buildLstmAutoencoder(resolved, shape));
}

function buildLstmAutoencoder(config: LstmConfig, shape: SequenceShape): LstmAutoencoder {
  const { timesteps, features, inputShape } = shape;
  const isSequence = inputShape.length === 2 && inputShape[0] === timesteps && inputShape[1] === features;
  // The fused layers save and export as tfjs' own; `fused: false` builds tfjs' own.
  const lstm = (units: number, returnSequences: boolean) => (config.fused ? new FusedLstm({ units, returnSequences }) : tf.layers.lstm({ units, returnSequences }));
  const timeDistributed = (args: Parameters<typeof tf.layers.timeDistributed>[0]) => (config.fused ? new BatchedTimeDistributed(args) : tf.layers.timeDistributed(args));

  const encoder: EncoderLayers = {
    toSequence: isSequence ? undefined : tf.layers.reshape({ targetShape: [timesteps, features] }),
    recurrent: Array.from({ length: config.layers }, (_, i) => {
      const last = i === config.layers - 1;
      const layer = lstm(last ? config.latentDim : config.units, !last);
      return config.bidirectional ? tf.layers.bidirectional({ layer, mergeMode: 'concat' }) : layer;
    }),
    // Both directions' final states, concatenated, are projected to a code
    // of latentDim in the same (-1, 1) range as an LSTM state.
    head: config.bidirectional ? tf.layers.dense({ units: config.latentDim, activation: 'tanh' }) : undefined,
  };
  const decoder = [
    tf.layers.repeatVector({ n: timesteps }),
    ...Array.from({ length: config.layers }, () => lstm(config.units, true)),
    timeDistributed({ layer: tf.layers.dense({ units: features, activation: config.outputActivation }) }),
    ...(isSequence ? [] : [tf.layers.reshape({ targetShape: [...inputShape] })]),
  ];
  const parts = composeAutoencoder({
    inputShape,
    encode: stack([encoder.toSequence, ...encoder.recurrent, encoder.head].filter((l) => l !== undefined)),
    decode: stack(decoder),
  });
  const loss = composeLoss(config.loss === 'bce' ? binaryCrossEntropy() : meanSquaredError());
  return new LstmAutoencoder({ family: 'lstm', config, ...parts, loss }, shape, encoder);
}

/**
 * tfjs warns that an orthogonal initialisation of more than 2,000 values
 * "may be slow". LSTMs initialise their recurrent kernels that way (as
 * Keras does, for stable gradients through time), and at these sizes it
 * takes milliseconds, so that one message is dropped while a model is built.
 */
function withoutOrthogonalSizeWarning<T>(build: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer is being called'))) warn(...args);
  };
  try {
    return build();
  } finally {
    console.warn = warn;
  }
}

/** The factor pair of n closest to a square, `[rows, columns]`, for drawing a code as a picture. */
function nearSquare(n: number): readonly [number, number] {
  let rows = Math.floor(Math.sqrt(n));
  while (n % rows !== 0) rows--;
  return [rows, n / rows];
}
