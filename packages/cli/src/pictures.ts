import { UMAP } from 'umap-js';
import {
  createRng,
  deriveSeed,
  modelInput,
  range,
  sizeOfShape,
  tf,
  type Autoencoder,
  type BaselineLosses,
  type Dataset,
  type EpochRecord,
  type FigureWriter,
  type ImageRow,
  type NoiseSpec,
} from '@aekit/core';

/** How many test digits `reconstructions.png` shows. */
export const SHOWN_DIGITS = 10;

/** What {@link writeReconstructions} needs. */
export interface ReconstructionPicture {
  autoencoder: Autoencoder;
  /** Test data in the model's input shape. */
  test: Dataset;
  /** Height, width and (1 or 3) channels of one example as a picture, e.g. `[28, 28, 1]` or `[32, 32, 3]`; grey when channels are left out. */
  imageShape: readonly [number, number] | readonly [number, number, number];
  /** How to draw a code, if the family says so. */
  codeShape?: readonly [number, number];
  noise?: NoiseSpec;
  seed: number;
  title: string;
}

/**
 * Writes `reconstructions.png`: ten test examples (in colour for colour images) above their
 * reconstructions, as in the autoencoder tutorials; with the noisy (or
 * paired dirty) input first and the clean target last for denoising runs, and the code as a
 * small picture in between where the family says how to draw it.
 *
 * @example
 * ```ts
 * import type { Autoencoder, Dataset } from '@aekit/core';
 * import { loadFigures, writeReconstructions } from '@aekit/cli';
 *
 * declare const autoencoder: Autoencoder;
 * declare const test: Dataset; // 28×28 grey images
 * const figures = (await loadFigures()).writerFor('runs/conv');
 * const path = await writeReconstructions(figures, { autoencoder, test, imageShape: [28, 28], seed: 1, title: 'conv on MNIST' });
 * console.log(path); // 'runs/conv/reconstructions.png'
 * ```
 * @param figures - Writer for the run directory.
 * @param picture - The model, the test data and how to draw the rows.
 */
export async function writeReconstructions(figures: FigureWriter, picture: ReconstructionPicture): Promise<string> {
  const { autoencoder, test, imageShape, codeShape } = picture;
  const indices = range(0, Math.min(SHOWN_DIGITS, test.size));
  const [h, w] = imageShape;
  const channels = imageShape[2] === 3 ? 3 : 1;
  const rows: ImageRow[] = [];
  tf.tidy(() => {
    const clean = test.batch(indices);
    const input = modelInput(test, indices, clean, picture.noise, deriveSeed(picture.seed, -3));
    const corrupted = input !== clean;
    const code = autoencoder.encode(input);
    const output = autoencoder.reconstruct(input);
    const split = (t: tf.Tensor, per: number) => {
      const values = t.dataSync() as Float32Array;
      return Array.from(indices, (_, i) => values.slice(i * per, (i + 1) * per));
    };
    const image = (label: string, t: tf.Tensor): ImageRow => ({ label, images: split(t, h * w * channels), height: h, width: w, channels });
    rows.push(corrupted ? image(picture.noise ? 'noisy input' : 'input', input) : image('original', clean));
    const codeSize = sizeOfShape(code.shape.slice(1));
    if (codeShape && codeShape[0] * codeShape[1] === codeSize) {
      // Codes are unbounded (relu) or signed; scale each code as a whole to [0, 1] so its pattern shows.
      const flat = tf.reshape(code, [indices.length, codeSize]);
      const low = tf.min(flat, 1, true);
      const normalised = tf.div(tf.sub(flat, low), tf.add(tf.sub(tf.max(flat, 1, true), low), 1e-8));
      rows.push({ label: `code (${codeSize})`, images: split(normalised, codeSize), height: codeShape[0], width: codeShape[1] });
    }
    rows.push(image(corrupted ? 'output' : 'reconstruction', output));
    if (corrupted) rows.push(image('clean target', clean));
  });
  return figures.imageRows('reconstructions.png', rows, { title: picture.title, scale: 3 });
}

/** What {@link writeTableReconstructions} needs. */
export interface TableReconstructionPicture {
  autoencoder: Autoencoder;
  /** Test rows as features, standardised as the model sees them. */
  test: Dataset;
  /** Name of each feature (a one-hot feature as `column=category`). */
  features: string[];
  title: string;
}

/**
 * Writes `reconstructions.png` for a table: ten test rows as a heat map
 * of their standardised features (one cell per row and feature, column
 * names along the bottom) beside the same grid of their reconstructions,
 * so a column the model gets wrong shows as a cell that differs.
 *
 * @example
 * ```ts
 * import type { Autoencoder, Dataset } from '@aekit/core';
 * import { loadFigures, writeTableReconstructions } from '@aekit/cli';
 *
 * declare const autoencoder: Autoencoder;
 * declare const test: Dataset; // standardised rows of a table
 * const figures = (await loadFigures()).writerFor('runs/tables');
 * await writeTableReconstructions(figures, { autoencoder, test, features: ['age', 'income', 'balance'], title: 'dense on accounts.csv' });
 * // 'runs/tables/reconstructions.png'
 * ```
 * @param figures - Writer for the run directory; one without heat maps draws rows as image strips.
 * @param picture - The model, the test rows and the feature names.
 */
export async function writeTableReconstructions(figures: FigureWriter, picture: TableReconstructionPicture): Promise<string> {
  const { autoencoder, test, features } = picture;
  const indices = range(0, Math.min(SHOWN_DIGITS, test.size));
  const { input, output } = tf.tidy(() => {
    const x = test.batch(indices);
    return { input: x.dataSync() as Float32Array, output: autoencoder.reconstruct(x).dataSync() as Float32Array };
  });
  if (!figures.heatmap) {
    return writeReconstructions(figures, { autoencoder, test, imageShape: [1, features.length], seed: 0, title: picture.title });
  }
  return figures.heatmap('reconstructions.png', {
    title: picture.title,
    columns: features,
    rows: Array.from(indices, (i) => `row ${i + 1}`),
    panels: [
      { name: 'input', values: input },
      { name: 'reconstruction', values: output },
    ],
    valueLabel: 'standardised value',
  });
}

/**
 * Writes `loss.png`: training and validation loss per epoch, with the
 * baselines' test losses as flat lines.
 *
 * @example
 * ```ts
 * import type { EpochRecord } from '@aekit/core';
 * import { loadFigures, writeLossCurve } from '@aekit/cli';
 *
 * declare const history: EpochRecord[]; // what fit returned
 * const figures = (await loadFigures()).writerFor('runs/dense');
 * const path = await writeLossCurve(figures, history, 'dense on MNIST');
 * console.log(path); // 'runs/dense/loss.png'
 * ```
 * @param figures - Writer for the run directory.
 * @param history - The losses of every epoch, as `fit` returns them.
 * @param title - Title drawn above the chart.
 * @param baselines - The run's baselines, drawn when given.
 */
export async function writeLossCurve(figures: FigureWriter, history: EpochRecord[], title: string, baselines?: BaselineLosses): Promise<string> {
  const epochs = history.map((r) => r.epoch + 1);
  const series = [{ name: 'training', x: epochs, y: history.map((r) => r.loss) }];
  if (history.some((r) => r.valLoss !== undefined)) {
    series.push({ name: 'validation', x: epochs, y: history.map((r) => r.valLoss ?? Number.NaN) });
  }
  // The baselines as flat lines across the epochs, scored on the test data by the model's reconstruction term.
  const across = [epochs[0], epochs.at(-1)!];
  if (baselines) series.push({ name: 'mean (test)', x: across, y: [baselines.mean, baselines.mean] });
  if (baselines?.pca) {
    const { components, loss } = baselines.pca;
    series.push({ name: `PCA ${components} (test)`, x: across, y: [loss, loss] });
  }
  return figures.lines('loss.png', { title, xLabel: 'epoch', yLabel: 'loss', series });
}

/** The labels of the examples, or undefined when the dataset turns out to have none (an ArrayDataset built without). */
function labelsOrNone(data: Dataset, indices: Int32Array): Int32Array | undefined {
  try {
    return data.labels?.(indices);
  } catch {
    return undefined;
  }
}

/**
 * Writes `codes.png`: the codes of test examples embedded in 2-D with UMAP
 * (umap-js, a maintained implementation), one colour per class. Codes that
 * are already 2-D are drawn as they are.
 *
 * @example
 * ```ts
 * import type { Autoencoder, Dataset } from '@aekit/core';
 * import { loadFigures, writeCodeSpace } from '@aekit/cli';
 *
 * declare const autoencoder: Autoencoder;
 * declare const test: Dataset; // labelled MNIST test images
 * const figures = (await loadFigures()).writerFor('runs/dense');
 * const path = await writeCodeSpace(figures, autoencoder, test, { points: 1000, seed: 1, title: 'dense codes' });
 * console.log(path); // 'runs/dense/codes.png'
 * ```
 * @returns The path, or undefined when the data cannot have labels or has fewer than four examples; data without them is drawn in one colour.
 * @param figures - Writer for the run directory.
 * @param autoencoder - The trained model whose codes are drawn.
 * @param test - Test data in the model's input shape, with labels.
 * @param options - How many test examples to embed, the seed of UMAP, the picture's title, and how to name items and classes.
 * @param options.points - Number of test examples to embed.
 * @param options.seed - Seed of UMAP and of the choice of examples.
 * @param options.title - Title drawn above the map.
 * @param options.items - What the examples are, for the title: `images` unless given (`rows` for a table).
 * @param options.classes - Name of each class (class `i` is `classes[i]`), for the legend; class numbers without.
 */
export async function writeCodeSpace(
  figures: FigureWriter,
  autoencoder: Autoencoder,
  test: Dataset,
  options: { points: number; seed: number; title: string; items?: string; classes?: readonly string[] },
): Promise<string | undefined> {
  if (!test.labels) return undefined;
  const n = Math.min(options.points, test.size);
  const indices = range(0, n);
  const codes: number[][] = [];
  for (let start = 0; start < n; start += 500) {
    const batch = indices.subarray(start, Math.min(n, start + 500));
    const flat = tf.tidy(() => {
      const code = autoencoder.encode(test.batch(batch));
      return tf.reshape(code, [batch.length, -1]).arraySync() as number[][];
    });
    codes.push(...flat);
  }
  // Data read without labels (a table without --label) is drawn in one colour.
  const labels = labelsOrNone(test, indices) ?? new Int32Array(n);
  let points = codes;
  let method = 'code';
  if (codes[0].length > 2) {
    // UMAP needs more points than neighbours; a handful of test images makes no map worth drawing.
    if (n < 4) return undefined;
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, n - 1), minDist: 0.1, random: createRng(options.seed) });
    points = umap.fit(codes);
    method = 'UMAP of the code';
  }
  const { classes } = options;
  return figures.scatter('codes.png', {
    title: `${options.title}: ${method} (${n} test ${options.items ?? 'images'})`,
    x: points.map((p) => p[0]),
    y: points.map((p) => p[1]),
    category: classes && classes.length > 0 ? Array.from(labels, (l) => classes[l] ?? String(l)) : labels,
  });
}
