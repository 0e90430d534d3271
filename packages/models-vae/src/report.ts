import { createRng, deriveSeed, range, tf, type Dataset, type ReportContext } from '@aekit/core';
import { evaluateElbo, type NegativeElbo } from './elbo.js';
import { inverseNormalCdf } from './inverse-normal-cdf.js';
import { pictureShape, toPictures, type PictureShape } from './pictures.js';
import { VariationalAutoencoder } from './variational-autoencoder.js';

/** Side of the latent manifold grid: 15x15 digits, as in the Keras example. */
export const MANIFOLD_SIZE = 15;
const SAMPLE_ROWS = 10;
const SAMPLE_COLUMNS = 10;
const INTERPOLATION_PAIRS = 4;
const INTERPOLATION_STEPS = 10;
const ENCODE_BATCH = 1000;

/** The `metrics.json` fields that {@link reportVae} returns. */
export type VaeReport = {
  /** Test-set negative ELBO in nats per image, split into its two terms. */
  elbo: NegativeElbo & { unit: 'nats per image' };
  /** Size of the latent space and the two (zero-based) dimensions `latent.png` plots. */
  latent: { dims: number; plotted: [number, number] };
  /** File names of the pictures written. */
  figures: string[];
};

/**
 * The report hook of the VAE families: measures the test-set negative ELBO
 * and draws the pictures that show what a VAE learned.
 *
 * - `latent.png`: the test set's latent means, coloured by class and named
 *   in the legend as the data names its classes (digits, sub-folders, label
 *   values; the first two dimensions when the latent space has more).
 * - `manifold.png`: a 15x15 grid decoded from evenly spaced quantiles of the
 *   2-D prior (only for `latentDim` 2).
 * - `samples.png`: new images decoded from codes drawn from the prior (in colour for colour data).
 * - `interpolation.png`: decodings along straight lines between the codes
 *   of pairs of test digits, the originals at both ends.
 *
 * Every draw is seeded from the run's seed.
 *
 * @param context - The trained model, test data, figure writer and seed.
 */
export async function reportVae(context: ReportContext): Promise<VaeReport> {
  const vae = context.autoencoder;
  if (!(vae instanceof VariationalAutoencoder)) {
    throw new Error(`the VAE report needs a VariationalAutoencoder, got a '${vae.family}' model`);
  }
  const { test, figures, seed } = context;
  const name = classNamer(context.classes);
  const picture = pictureShape(vae.dataShape);
  const written: string[] = [];

  const elbo = await evaluateElbo(vae, test, { seed: deriveSeed(seed, 1) });
  context.log(
    `test negative ELBO ${elbo.total.toFixed(2)} nats per image ` +
      `(reconstruction ${elbo.reconstruction.toFixed(2)} + KL ${elbo.kl.toFixed(2)})`,
  );

  const plotted: [number, number] = [0, Math.min(1, vae.latentDim - 1)];
  await figures.scatter('latent.png', await latentScatter(vae, test, plotted, name));
  written.push('latent.png');

  if (vae.latentDim === 2) {
    await figures.imageRows('manifold.png', await manifoldRows(vae, picture), {
      scale: 2,
      title: `Images decoded from a ${MANIFOLD_SIZE}x${MANIFOLD_SIZE} grid of the latent plane (z1 grows to the right)`,
    });
    written.push('manifold.png');
  } else {
    context.log(`manifold.png needs a 2-D latent space; skipped for latentDim ${vae.latentDim}`);
  }

  const samples = vae.sample(SAMPLE_ROWS * SAMPLE_COLUMNS, deriveSeed(seed, 2));
  const sampled = await toPictures(samples, picture);
  samples.dispose();
  await figures.imageRows(
    'samples.png',
    Array.from({ length: SAMPLE_ROWS }, (_, r) => ({
      label: r === 0 ? 'z ~ N(0, I)' : '',
      images: sampled.slice(r * SAMPLE_COLUMNS, (r + 1) * SAMPLE_COLUMNS),
      height: picture[0],
      width: picture[1],
      channels: picture[2],
    })),
    { title: `${sampled.length} images decoded from codes drawn from the prior` },
  );
  written.push('samples.png');

  if (test.size >= 2) {
    await figures.imageRows('interpolation.png', await interpolationRows(vae, test, picture, deriveSeed(seed, 3), name), {
      title: 'Decodings along straight lines between the codes of two test images (originals at the ends)',
    });
    written.push('interpolation.png');
  }

  return { elbo: { ...elbo, unit: 'nats per image' }, latent: { dims: vae.latentDim, plotted }, figures: written };
}

/** A class's name: as the data names it (`classes[i]`), else its number. */
function classNamer(classes: readonly string[] | undefined): (label: number) => string {
  return (label) => classes?.[label] ?? String(label);
}

async function latentScatter(vae: VariationalAutoencoder, test: Dataset, [i, j]: [number, number], name: (label: number) => string) {
  const d = vae.latentDim;
  const x = new Float32Array(test.size);
  const y = new Float32Array(test.size);
  for (let start = 0; start < test.size; start += ENCODE_BATCH) {
    const indices = range(start, Math.min(start + ENCODE_BATCH, test.size));
    const means = tf.tidy(() => vae.encode(test.batch(indices)));
    const values = await means.data();
    means.dispose();
    for (let n = 0; n < indices.length; n++) {
      x[start + n] = values[n * d + i];
      y[start + n] = i === j ? 0 : values[n * d + j];
    }
  }
  const labels = test.labels?.(range(0, test.size));
  const category = labels && Array.from(labels, name);
  const which = d === 2 ? '' : d === 1 ? ' (1-D latent space)' : `, dimensions ${i + 1} and ${j + 1} of ${d}`;
  return {
    title: `Latent means of ${test.size} test images${which}`,
    x,
    y,
    category,
    xLabel: `z${i + 1}`,
    yLabel: i === j ? '' : `z${j + 1}`,
  };
}

async function manifoldRows(vae: VariationalAutoencoder, picture: PictureShape) {
  // Quantiles of probabilities 0.05 .. 0.95, so the grid covers the prior's
  // mass evenly rather than evenly in distance (the Keras example's grid).
  const grid = Array.from({ length: MANIFOLD_SIZE }, (_, k) => inverseNormalCdf(0.05 + (0.9 * k) / (MANIFOLD_SIZE - 1)));
  const codes = new Float32Array(MANIFOLD_SIZE * MANIFOLD_SIZE * 2);
  for (let row = 0; row < MANIFOLD_SIZE; row++) {
    const z2 = grid[MANIFOLD_SIZE - 1 - row]; // top row: largest z2, as on a plot
    for (let col = 0; col < MANIFOLD_SIZE; col++) {
      codes[(row * MANIFOLD_SIZE + col) * 2] = grid[col];
      codes[(row * MANIFOLD_SIZE + col) * 2 + 1] = z2;
    }
  }
  const decoded = tf.tidy(() => vae.decode(tf.tensor2d(codes, [MANIFOLD_SIZE * MANIFOLD_SIZE, 2])));
  const pictures = await toPictures(decoded, picture);
  decoded.dispose();
  return Array.from({ length: MANIFOLD_SIZE }, (_, row) => ({
    label: `z2 = ${grid[MANIFOLD_SIZE - 1 - row].toFixed(2)}`,
    images: pictures.slice(row * MANIFOLD_SIZE, (row + 1) * MANIFOLD_SIZE),
    height: picture[0],
    width: picture[1],
    channels: picture[2],
  }));
}

/** Picks pairs of test examples (of different digits when there are labels) and decodes the line between them. */
async function interpolationRows(vae: VariationalAutoencoder, test: Dataset, picture: PictureShape, seed: number, name: (label: number) => string) {
  const rng = createRng(seed);
  const pick = () => Math.floor(rng() * test.size);
  const rows = [];
  for (let p = 0; p < INTERPOLATION_PAIRS; p++) {
    const a = pick();
    let b = pick();
    for (let tries = 0; tries < 100 && (b === a || (test.labels && test.labels([a])[0] === test.labels([b])[0])); tries++) b = pick();
    const strip = tf.tidy(() => {
      const ends = test.batch([a, b]);
      const [from, to] = tf.split(ends, 2);
      return tf.concat([from, vae.interpolate(from, to, INTERPOLATION_STEPS), to]);
    });
    const images = await toPictures(strip, picture);
    strip.dispose();
    const label = test.labels ? `${name(test.labels([a])[0])} → ${name(test.labels([b])[0])}` : `#${a} → #${b}`;
    rows.push({ label, images, height: picture[0], width: picture[1], channels: picture[2] });
  }
  return rows;
}
