import { tf, ConfigError, sizeOfShape, type Dataset } from '@aekit/core';
import { attachLengths, sequenceMask } from './lengths.js';

/**
 * One sequence of feature vectors: nested arrays `[step][feature]`, or a flat
 * time-major Float32Array of `steps * features` values.
 */
export type SequenceInput = Float32Array | readonly (readonly number[])[];

/** Options of {@link PaddedSequenceDataset.fromSequences}. */
export interface PadSequencesOptions {
  /** Padded length; the longest sequence's length by default. Longer sequences are an error. */
  timesteps?: number;
  /** Features per step; read from nested arrays, required for flat Float32Array sequences. */
  features?: number;
  /** Value written into the padding, 0 by default. The model never sees it as data. */
  padValue?: number;
  /** Optional integer class label per sequence. */
  labels?: ArrayLike<number>;
}

/**
 * Sequences of different lengths padded at the end to a common length
 * `timesteps`, together with their true lengths. Batches are
 * `[n, timesteps, features]` tensors that carry their lengths (see
 * `lengthsOf`), so the LSTM autoencoder skips the padding when encoding and
 * puts a `mask` into its forward pass; core's reconstruction losses then
 * leave the padding out. Train on it with core's `fit` like on any dataset.
 */
export class PaddedSequenceDataset implements Dataset {
  readonly size: number;
  readonly exampleShape: readonly number[];
  /** Padded length of every sequence. */
  readonly timesteps: number;
  private readonly values: Float32Array;
  private readonly trueLengths: Int32Array;
  private readonly classLabels?: Int32Array;

  /**
   * @param values - Padded sequences back to back, `size * prod(exampleShape)` floats, time-major.
   * @param lengths - True length of each sequence, in `1 .. exampleShape[0]`.
   * @param exampleShape - `[timesteps, features]` (or another shape that starts with `timesteps`).
   * @param labels - Optional integer class label per sequence.
   */
  constructor(values: Float32Array, lengths: Int32Array, exampleShape: readonly number[], labels?: Int32Array) {
    const per = sizeOfShape(exampleShape);
    if (exampleShape.length < 2 || per <= 0 || values.length !== lengths.length * per) {
      throw new ConfigError('values', `expected ${lengths.length} sequences of shape [${exampleShape}], got ${values.length} values`);
    }
    if (labels && labels.length !== lengths.length) {
      throw new ConfigError('labels', `expected ${lengths.length} labels, got ${labels.length}`);
    }
    this.timesteps = exampleShape[0];
    lengths.forEach((length, i) => {
      if (!(length >= 1 && length <= this.timesteps)) {
        throw new ConfigError(`lengths.${i}`, `expected an integer between 1 and ${this.timesteps}, got ${length}`);
      }
    });
    this.values = values;
    this.trueLengths = lengths;
    this.exampleShape = [...exampleShape];
    this.size = lengths.length;
    this.classLabels = labels;
  }

  /**
   * Pads sequences of different lengths to one length.
   *
   * @param sequences - The sequences, each with the same number of features.
   * @param options - Padded length, features, pad value and labels.
   * @throws ConfigError naming the sequence that is empty, too long or has the wrong number of features.
   */
  static fromSequences(sequences: readonly SequenceInput[], options: PadSequencesOptions = {}): PaddedSequenceDataset {
    if (sequences.length === 0) throw new ConfigError('sequences', 'expected at least one sequence');
    const features = options.features ?? featuresOf(sequences[0]);
    if (!Number.isInteger(features) || features <= 0) {
      throw new ConfigError('features', `expected a positive integer, got ${features}`);
    }
    const flat = sequences.map((s, i) => flatten(s, features, i));
    const lengths = Int32Array.from(flat, (s) => s.length / features);
    const timesteps = options.timesteps ?? Math.max(...lengths);
    const per = timesteps * features;
    const values = new Float32Array(sequences.length * per).fill(options.padValue ?? 0);
    flat.forEach((s, i) => {
      if (lengths[i] > timesteps) {
        throw new ConfigError(`sequences.${i}`, `has ${lengths[i]} steps, more than timesteps ${timesteps}`);
      }
      values.set(s, i * per);
    });
    const labels = options.labels ? Int32Array.from(options.labels) : undefined;
    return new PaddedSequenceDataset(values, lengths, [timesteps, features], labels);
  }

  /**
   * A `[n, timesteps, features]` batch that carries the sequences' lengths.
   *
   * @param indices - Positions of the sequences in this dataset.
   */
  batch(indices: ArrayLike<number>): tf.Tensor {
    const per = sizeOfShape(this.exampleShape);
    const out = new Float32Array(indices.length * per);
    for (let i = 0; i < indices.length; i++) {
      const start = this.check(indices[i]) * per;
      out.set(this.values.subarray(start, start + per), i * per);
    }
    return attachLengths(tf.tensor(out, [indices.length, ...this.exampleShape], 'float32'), this.sequenceLengths(indices));
  }

  /**
   * True lengths of the given sequences; core's trainer hands them to the
   * model's forward pass, also across worker threads.
   *
   * @param indices - Positions of the sequences in this dataset.
   */
  lengths(indices: ArrayLike<number>): Int32Array {
    return this.sequenceLengths(indices);
  }

  /**
   * True lengths of the given sequences.
   *
   * @param indices - Positions of the sequences in this dataset.
   */
  sequenceLengths(indices: ArrayLike<number>): Int32Array {
    return Int32Array.from(indices, (i) => this.trueLengths[this.check(i)]);
  }

  /**
   * `[n, timesteps]` mask of the given sequences: 1 for real steps, 0 for padding.
   *
   * @param indices - Positions of the sequences in this dataset.
   */
  mask(indices: ArrayLike<number>): tf.Tensor2D {
    return sequenceMask(this.sequenceLengths(indices), this.timesteps);
  }

  labels(indices: ArrayLike<number>): Int32Array {
    if (!this.classLabels) throw new ConfigError('labels', 'this dataset has no labels');
    return Int32Array.from(indices, (i) => this.classLabels![this.check(i)]);
  }

  /**
   * The same sequences viewed with another shape that keeps `timesteps` first, e.g. `[T, F, 1]`.
   *
   * @param shape - The new shape of one sequence, `timesteps` first.
   */
  reshape(shape: readonly number[]): PaddedSequenceDataset {
    if (shape[0] !== this.timesteps || sizeOfShape(shape) !== sizeOfShape(this.exampleShape)) {
      throw new ConfigError('shape', `cannot view padded sequences of shape [${this.exampleShape}] as [${shape}]`);
    }
    return new PaddedSequenceDataset(this.values, this.trueLengths, shape, this.classLabels);
  }

  subset(indices: ArrayLike<number>): PaddedSequenceDataset {
    const x = this.batch(indices);
    const values = x.dataSync() as Float32Array;
    x.dispose();
    const labels = this.classLabels ? this.labels(indices) : undefined;
    return new PaddedSequenceDataset(values, this.sequenceLengths(indices), this.exampleShape, labels);
  }

  /**
   * A copy with another value in the padding. The padding is not data, so
   * a model's loss on the copy is the same; handy to check exactly that.
   *
   * @param value - The value padding steps get.
   */
  withPadValue(value: number): PaddedSequenceDataset {
    const values = Float32Array.from(this.values);
    const per = sizeOfShape(this.exampleShape);
    const perStep = per / this.timesteps;
    this.trueLengths.forEach((length, i) => values.fill(value, i * per + length * perStep, (i + 1) * per));
    return new PaddedSequenceDataset(values, this.trueLengths, this.exampleShape, this.classLabels);
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`example index ${i} is outside 0..${this.size - 1}`);
    return i;
  }
}

function featuresOf(sequence: SequenceInput): number {
  if (sequence instanceof Float32Array) {
    throw new ConfigError('features', 'is required when sequences are flat Float32Arrays');
  }
  return sequence[0]?.length ?? 0;
}

function flatten(sequence: SequenceInput, features: number, index: number): Float32Array {
  if (sequence instanceof Float32Array) {
    if (sequence.length === 0 || sequence.length % features !== 0) {
      throw new ConfigError(`sequences.${index}`, `has ${sequence.length} values, not a positive multiple of ${features} features`);
    }
    return sequence;
  }
  if (sequence.length === 0) throw new ConfigError(`sequences.${index}`, 'is empty');
  const out = new Float32Array(sequence.length * features);
  sequence.forEach((step, t) => {
    if (step.length !== features) {
      throw new ConfigError(`sequences.${index}.${t}`, `has ${step.length} features, expected ${features}`);
    }
    out.set(step, t * features);
  });
  return out;
}
