/**
 * Sequence autoencoders for aekit: the `lstm` family (a sequence-to-sequence
 * LSTM autoencoder) and padded variable-length sequence datasets with
 * masking. Time series reach it as windows: `ae train lstm --data
 * series.csv` reads the file with `@aekit/data-series`, and the windowing,
 * normalisation and scoring of series live in `@aekit/core`, so this
 * package imports no data package.
 *
 * @packageDocumentation
 */
export { plugin } from './plugin.js';
export { lstmFamily, createLstmAutoencoder } from './lstm/family.js';
export { defaultLstmLatentDim, lstmConfigSchema, resolveSequenceShape, OUTPUT_ACTIVATIONS, type LstmConfig, type SequenceShape } from './lstm/config.js';
export { LstmAutoencoder, type EncoderLayers, type SequenceForwardOptions } from './lstm/lstm-autoencoder.js';
export { FusedLstm, type CallKwargs } from './lstm/fused-lstm.js';
export { BatchedTimeDistributed } from './lstm/time-distributed.js';
export { attachLengths, lengthsOf, sequenceMask } from './sequences/lengths.js';
export { rowSequences } from './sequences/row-sequences.js';
export { PaddedSequenceDataset, type PadSequencesOptions, type SequenceInput } from './sequences/padded-dataset.js';
