import { imagePreprocessingFor, registry, UNIT_INTERVAL_DATA, type DataDescription, type Dataset, type Preprocessing } from '@aekit/core';
import { loadSeriesRunData, readsAsSeries, type SeriesRunData } from '../series/series-data.js';
import { loadDataset, BUILT_IN_DATASET } from '../datasets.js';
import { DATA_SOURCE_NAMES, loadDataSource, type LoadedDataSource } from '../data-source.js';
import { dataProgress } from '../data-progress.js';
import type { DataSettings } from './run-settings.js';

/** The data of a run, as read. */
export interface TrainingData {
  train: Dataset;
  test: Dataset;
  source: string;
  /** What the data is, for the log and `metrics.json`: a dataset's name, or `image-folder`, `idx` or `table` for `--data`. */
  name: string;
  /** Shape of one example as read, e.g. `[28, 28, 1]` or `[32, 32, 3]`. */
  dataShape: readonly number[];
  /** Class names where the data has them (an image folder's sub-folders, a table's label values), class `i` being `classes[i]`. */
  classes?: string[];
  /** Files skipped with `--skip-bad` (image folders), for `metrics.json`. */
  skipped?: number;
  /** How a raw item became an example (an image's size and background, a table's columns and scaler), to save with the model. */
  preprocessing?: Preprocessing;
  /** What the data is (its values' range), which the family reads to choose its output and loss. */
  description: DataDescription;
  /** Validation data the reader cut itself (a series' windows after its training part), used instead of a random share. */
  validation?: Dataset;
  /** A series read as windows: the raw series, its parts and preprocessing. */
  series?: SeriesRunData;
  /** Releases what the data holds open (a decoded image cache); called when the run is done. */
  close(): Promise<void>;
}

/**
 * Step 2 of `ae train`: reads the run's data. `--data <path>` with the
 * built-in dataset goes by what the path is (idx files, a folder of images
 * or a table, see `loadDataSource`), with a progress bar of the files or rows read;
 * MNIST and plugin datasets load by name. Data without a preprocessing of
 * its own whose examples are images `[height, width, 1 or 3]` (MNIST, most
 * plugin datasets) gets the image description of that shape, so `ae infer`
 * and `ae score` can read PNG files for the model.
 *
 * @param settings - The run's settings.
 * @param log - Where lines about the data go.
 * @param interactive - Draw a progress bar while files are read.
 */
export async function loadTrainingData(settings: DataSettings, log: (line: string) => void, interactive?: boolean): Promise<TrainingData> {
  // (An unregistered family is refused when its model is built, after the data is read.)
  if (registry.names().includes(settings.family) && readsAsSeries(registry.get(settings.family), settings)) {
    const series = await loadSeriesRunData(settings);
    for (const line of series.notes) log(line);
    const { train, validation, test, description } = series;
    return { train, validation, test, source: settings.data!, name: DATA_SOURCE_NAMES.series, dataShape: train.exampleShape, preprocessing: series.preprocessing, description, series, close: async () => {} };
  }
  const limits = { trainLimit: settings.limit, testLimit: settings.testLimit, seed: settings.seed, splitSeed: settings.splitSeed, testSplit: settings.testSplit };
  let data: LoadedDataSource | Awaited<ReturnType<typeof loadDataset>>;
  let name = settings.dataset;
  if (settings.data && settings.dataset === BUILT_IN_DATASET) {
    const progress = dataProgress(interactive);
    try {
      data = await loadDataSource(settings.data, {
        ...limits,
        imageSize: settings.imageSize,
        channels: settings.channels,
        label: settings.label,
        skipBad: settings.skipBad,
        columns: settings.columns,
        drop: settings.drop,
        impute: settings.impute,
        maxCategories: settings.maxCategories,
        delimiter: settings.delimiter,
        trainWhere: settings.trainWhere,
        cacheDir: settings.cacheDir,
        onProgress: progress.onProgress,
      });
    } finally {
      progress.stop();
    }
    name = DATA_SOURCE_NAMES[(data as LoadedDataSource).kind];
  } else {
    data = await loadDataset(settings.dataset, { dir: settings.data, ...limits });
  }
  for (const line of data.warnings ?? []) log(line);
  const { train, test, source, classes, description = UNIT_INTERVAL_DATA } = data;
  const { skipped } = data as LoadedDataSource;
  return {
    train,
    test,
    source,
    name,
    dataShape: train.exampleShape,
    skipped,
    classes: classes?.length ? classes : undefined,
    preprocessing: data.preprocessing ?? imagePreprocessingFor(train.exampleShape),
    description,
    close: async () => data.close?.(),
  };
}
