import { tf, type ImageRow, type ReportContext } from '@aekit/core';
import { TiedAutoencoder } from './tied-autoencoder.js';

/** Filters drawn per row of `filters.png`, and rows at most. */
const FILTERS_PER_ROW = 8;
const MAX_ROWS = 4;

/** What the `{{family}}` family adds to `metrics.json`. */
export type TiedReport = {
  /** Weights of the tied model (the shared kernel counted once). */
  parameters: number;
  /** Weights an untied model of the same shape (the `dense` family) would have. */
  untiedParameters: number;
  /** File with the first code units' filters as pictures, when the data are images. */
  filtersPicture?: string;
};

/**
 * The `report` hook of the `{{family}}` family: after `ae train {{family}}`, draws what
 * the first 32 code units respond to (`filters.png`, each filter scaled to
 * the full grey range) and records how many weights tying saved.
 *
 * @param context - The trained model, the test data and a figure writer.
 */
// #region report
export async function reportTied(context: ReportContext): Promise<TiedReport> {
  const autoencoder = context.autoencoder;
  if (!(autoencoder instanceof TiedAutoencoder)) throw new Error('reportTied expects a model of the {{family}} family');
  const parameters = autoencoder.parameterCount();
  const inputSize = autoencoder.inputShape[0];
  const latentDim = autoencoder.latentShape[0];
  const untiedParameters = parameters + inputSize * latentDim;
  const [height, width] = autoencoder.dataShape;
  const isImage = autoencoder.dataShape.length >= 2 && autoencoder.dataShape.slice(2).every((d) => d === 1);
  if (!isImage) return { parameters, untiedParameters };

  const filters = autoencoder.filters();
  const values = await tf.tidy(() => {
    const flat = filters.reshape([latentDim, height * width]);
    const low = flat.min(1, true);
    const high = flat.max(1, true);
    return flat.sub(low).div(high.sub(low).add(1e-8));
  }).data();
  filters.dispose();
  const shown = Math.min(latentDim, FILTERS_PER_ROW * MAX_ROWS);
  const rows: ImageRow[] = [];
  for (let start = 0; start < shown; start += FILTERS_PER_ROW) {
    const images: Float32Array[] = [];
    for (let unit = start; unit < Math.min(start + FILTERS_PER_ROW, shown); unit++) {
      images.push(Float32Array.from(values.subarray(unit * height * width, (unit + 1) * height * width)));
    }
    rows.push({ label: `units ${start}-${start + images.length - 1}`, images, height, width });
  }
  const file = await context.figures.imageRows('filters.png', rows, { title: '{{family}}: filters of the first code units' });
  context.log(`{{family}}: ${parameters} weights (an untied model has ${untiedParameters}); filters in ${file}`);
  return { parameters, untiedParameters, filtersPicture: 'filters.png' };
}
// #endregion report
