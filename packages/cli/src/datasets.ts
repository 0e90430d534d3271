import { registry, type DatasetLoadOptions, type LoadedDataset } from '@aekit/core';
import { importOptional } from './optional-packages.js';

/** The dataset `ae train` uses unless a family or `--dataset` names another. */
export const BUILT_IN_DATASET = 'mnist';

/**
 * Loads training and test data by name: `mnist` (or any directory of idx
 * files given as `dir`) is built in; other names come from plugins.
 *
 * @param name - Dataset name.
 * @param options - Limits, a directory of the user's files, and a seed.
 */
export async function loadDataset(name: string, options: DatasetLoadOptions): Promise<LoadedDataset> {
  if (name === BUILT_IN_DATASET) {
    const { loadMnist } = await importOptional('@aekit/data-mnist', () => import('@aekit/data-mnist'), 'to use the MNIST dataset');
    const mnist = await loadMnist({ dir: options.dir, trainLimit: options.trainLimit, testLimit: options.testLimit });
    return { train: mnist.train, test: mnist.test, source: mnist.dir };
  }
  return registry.dataset(name).load(options);
}
