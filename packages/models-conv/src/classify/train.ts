import { ConfigError, deriveSeed, range, shuffledIndices, tf, type Dataset } from '@aekit/core';

/**
 * Turns a batch of examples into the classifier's input, e.g. corrupts
 * images and encodes them. Runs inside `tf.tidy`; `seed` is the batch's own.
 *
 * @param x - A batch of examples.
 * @param seed - The batch's own seed, for noise.
 */
export type PrepareBatch = (x: tf.Tensor, seed: number) => tf.Tensor;

/** Options of {@link trainClassifier}. */
export interface ClassifierTrainingOptions {
  /** Passes over the data. */
  epochs: number;
  /** Examples per gradient step. */
  batchSize: number;
  /** Seed of the shuffling and of `prepare`'s draws. */
  seed: number;
  /** Classes the labels range over. */
  classes: number;
  /** Applied to every batch before the classifier sees it. */
  prepare?: PrepareBatch;
  /**
   * Told after each batch: the batches done so far and the batch's loss and accuracy.
   *
   * @param done - Batches done so far.
   * @param total - Batches of the whole training.
   * @param values - The batch's loss and accuracy.
   * @param values.loss - Cross-entropy of the batch.
   * @param values.accuracy - Share of the batch classified right.
   */
  onBatchEnd?(done: number, total: number, values: { loss: number; accuracy: number }): void;
}

/** What {@link trainClassifier} returns. */
export interface ClassifierTraining {
  /** Mean training loss and accuracy of each epoch. */
  history: { loss: number; accuracy: number }[];
  /** Wall-clock seconds of training. */
  seconds: number;
}

/**
 * Trains a compiled classifier batch by batch (`trainOnBatch`) on a labelled
 * dataset. Unlike `model.fit` on one big tensor, batches are built on
 * demand, so the full MNIST set never sits in memory as floats and each
 * batch can be corrupted or encoded first.
 *
 * @param model - A compiled classifier with an accuracy metric.
 * @param data - Labelled examples.
 * @param options - Epochs, batch size, seed, classes and the batch transform.
 */
export async function trainClassifier(
  model: tf.LayersModel,
  data: Dataset,
  options: ClassifierTrainingOptions,
): Promise<ClassifierTraining> {
  const labelsOf = requireLabels(data);
  const batchesPerEpoch = Math.ceil(data.size / options.batchSize);
  const history: ClassifierTraining['history'] = [];
  const started = performance.now();
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = shuffledIndices(data.size, deriveSeed(options.seed, epoch));
    let lossSum = 0;
    let accuracySum = 0;
    for (let b = 0; b < batchesPerEpoch; b++) {
      const indices = order.subarray(b * options.batchSize, Math.min((b + 1) * options.batchSize, data.size));
      const { x, y } = tf.tidy(() => {
        const raw = data.batch(indices);
        return {
          x: options.prepare ? options.prepare(raw, deriveSeed(options.seed, epoch, b)) : raw,
          y: tf.oneHot(tf.tensor1d(labelsOf(indices), 'int32'), options.classes),
        };
      });
      const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      lossSum += loss * indices.length;
      accuracySum += accuracy * indices.length;
      options.onBatchEnd?.(epoch * batchesPerEpoch + b + 1, options.epochs * batchesPerEpoch, { loss, accuracy });
    }
    history.push({ loss: lossSum / data.size, accuracy: accuracySum / data.size });
  }
  return { history, seconds: (performance.now() - started) / 1000 };
}

/**
 * Share of examples whose most probable class is their label.
 *
 * @param model - A trained classifier.
 * @param data - Labelled examples in the classifier's input shape.
 * @param batchSize - Examples per prediction batch; 256 by default.
 */
export async function classifierAccuracy(model: tf.LayersModel, data: Dataset, batchSize = 256): Promise<number> {
  const labelsOf = requireLabels(data);
  let correct = 0;
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = range(start, Math.min(start + batchSize, data.size));
    const hits = tf.tidy(() => {
      const predicted = tf.argMax(model.predict(data.batch(indices), { batchSize }) as tf.Tensor, -1);
      return tf.sum(tf.cast(tf.equal(predicted, tf.tensor1d(labelsOf(indices), 'int32')), 'int32'));
    });
    correct += (await hits.data())[0];
    hits.dispose();
  }
  return correct / data.size;
}

function requireLabels(data: Dataset): (indices: ArrayLike<number>) => Int32Array {
  if (!data.labels) throw new ConfigError('labels', 'a classifier needs a dataset with class labels');
  return (indices) => data.labels!(indices);
}
