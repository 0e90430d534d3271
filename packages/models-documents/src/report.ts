import type { ImageRow, ReportContext } from '@aekit/core';
import { DocumentPatchDataset, grayImageValues, type DocumentPair } from '@aekit/data-documents';
import { describePageDenoising, measurePages, type PageDenoisingQuality } from './quality.js';
import { tileModelOf } from './tile-model.js';
import { tilePage } from './tiling.js';

/** File name of the before/after picture in the run directory. */
export const DENOISING_FIGURE = 'denoising.png';

/** Side of the crops shown in {@link DENOISING_FIGURE}. */
const CROP = 128;
/** Pages shown in {@link DENOISING_FIGURE}. */
const SHOWN_PAGES = 4;

/** What the `doc-denoiser` report adds to `metrics.json`. */
export type DocumentDenoisingReport = {
  /** Whole test pages, dirty and cleaned, against the clean pages, and the figure's file name. */
  denoising: PageDenoisingQuality & { figure: string };
};

/**
 * The `report` hook of `doc-denoiser`: cleans every whole test page by
 * tiling, measures RMSE and PSNR of the dirty and of the cleaned pages
 * against the clean ones, and draws `denoising.png`: for a few test pages
 * the crop where the page is dirtiest, as dirty input, cleaned output and
 * clean target.
 *
 * Test data that are not page pairs (another `--dataset`) add nothing.
 *
 * @param context - The trained model, its test pages and the run's figure writer, as `ae train` gives them.
 */
export async function reportDocumentDenoising(context: ReportContext): Promise<DocumentDenoisingReport | void> {
  if (!(context.test instanceof DocumentPatchDataset)) {
    context.log('the test data are not document page pairs, so no page cleaning is measured');
    return;
  }
  const pages = context.test.pages;
  const model = tileModelOf(context.autoencoder);
  const cleaned: Float32Array[] = [];
  for (const page of pages) cleaned.push(await tilePage(model, grayImageValues(page.dirty), page.dirty.width, page.dirty.height));
  const quality = measurePages(pages, cleaned);
  context.log(describePageDenoising(quality));
  await context.figures.imageRows(DENOISING_FIGURE, cropRows(pages, cleaned), {
    title: `${context.autoencoder.family}: dirty test pages, cleaned, clean target`,
    scale: 2,
  });
  return { denoising: { ...quality, figure: DENOISING_FIGURE } };
}

/** Rows of the figure: dirty, cleaned and clean crops of the first pages. */
function cropRows(pages: readonly DocumentPair[], cleaned: readonly Float32Array[]): ImageRow[] {
  const rows = { dirty: [] as Float32Array[], cleaned: [] as Float32Array[], clean: [] as Float32Array[] };
  const shown = pages.slice(0, SHOWN_PAGES);
  const height = Math.min(CROP, ...shown.map((p) => p.clean.height));
  const width = Math.min(CROP, ...shown.map((p) => p.clean.width));
  shown.forEach((page, i) => {
    const dirty = grayImageValues(page.dirty);
    const clean = grayImageValues(page.clean);
    const { x, y } = dirtiestWindow(dirty, clean, page.clean.width, page.clean.height, width, height);
    const crop = (values: Float32Array) => {
      const out = new Float32Array(width * height);
      for (let row = 0; row < height; row++) {
        const from = (y + row) * page.clean.width + x;
        out.set(values.subarray(from, from + width), row * width);
      }
      return out;
    };
    rows.dirty.push(crop(dirty));
    rows.cleaned.push(crop(cleaned[i]));
    rows.clean.push(crop(clean));
  });
  return [
    { label: 'dirty input', images: rows.dirty, height, width },
    { label: 'cleaned', images: rows.cleaned, height, width },
    { label: 'clean target', images: rows.clean, height, width },
  ];
}

/**
 * Top-left corner of the window (on a grid of quarter windows) where dirty
 * and clean differ most, preferring windows with text in them, so the crop
 * shows both dirt and letters.
 */
function dirtiestWindow(dirty: Float32Array, clean: Float32Array, pageWidth: number, pageHeight: number, width: number, height: number) {
  let best = { x: 0, y: 0, error: -1 };
  const stepX = Math.max(1, Math.floor(width / 4));
  const stepY = Math.max(1, Math.floor(height / 4));
  for (let y = 0; y + height <= pageHeight; y += stepY) {
    for (let x = 0; x + width <= pageWidth; x += stepX) {
      let error = 0;
      let ink = 0;
      let samples = 0;
      for (let row = 0; row < height; row += 2) {
        for (let col = 0; col < width; col += 2) {
          const i = (y + row) * pageWidth + x + col;
          error += Math.abs(dirty[i] - clean[i]);
          ink += 1 - clean[i];
          samples++;
        }
      }
      if (ink / samples < 0.04) error *= 0.3;
      if (error > best.error) best = { x, y, error };
    }
  }
  return best;
}
