import type { DocumentPair, GrayImage } from '@aekit/data-documents';
import { grayImageValues } from '@aekit/data-documents';

/** How far a set of pages is from the clean pages. */
export interface PageQuality {
  /** Root mean squared error over every pixel of every page, values in [0, 1] (lower is better). */
  rmse: number;
  /** Mean over pages of the peak signal-to-noise ratio `10 log10(1 / MSE)`, in dB (higher is better). */
  psnr: number;
}

/** The quality of dirty pages and of their cleaned versions against the clean pages. */
export interface PageDenoisingQuality {
  /** Number of pages measured. */
  pages: number;
  /** Pixels measured, over all pages. */
  pixels: number;
  /** The dirty pages against the clean ones. */
  dirty: PageQuality;
  /** The cleaned pages against the clean ones. */
  cleaned: PageQuality;
}

/** Sum of squared differences between an image and reference values in [0, 1]. */
function squaredError(image: Float32Array | GrayImage, reference: Float32Array): number {
  const values = image instanceof Float32Array ? image : grayImageValues(image);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] - reference[i]) ** 2;
  return sum;
}

/**
 * Measures cleaning: RMSE (pooled over all pixels, the measure of the
 * Kaggle "Denoising Dirty Documents" task) and mean PSNR of the dirty pages
 * and of the cleaned pages, each against the clean page.
 *
 * @param pairs - The page pairs.
 * @param cleaned - The cleaned version of each pair's dirty page, values in [0, 1].
 */
export function measurePages(pairs: readonly DocumentPair[], cleaned: readonly Float32Array[]): PageDenoisingQuality {
  let pixels = 0;
  const sums = { dirty: 0, cleaned: 0 };
  const psnrSums = { dirty: 0, cleaned: 0 };
  const psnr = (sum: number, n: number) => -10 * Math.log10(Math.max(sum / n, 1e-10));
  pairs.forEach((pair, i) => {
    const clean = grayImageValues(pair.clean);
    const n = clean.length;
    const dirty = squaredError(pair.dirty, clean);
    const out = squaredError(cleaned[i], clean);
    sums.dirty += dirty;
    sums.cleaned += out;
    psnrSums.dirty += psnr(dirty, n);
    psnrSums.cleaned += psnr(out, n);
    pixels += n;
  });
  const quality = (kind: 'dirty' | 'cleaned'): PageQuality => ({
    rmse: Math.sqrt(sums[kind] / pixels),
    psnr: psnrSums[kind] / pairs.length,
  });
  return { pages: pairs.length, pixels, dirty: quality('dirty'), cleaned: quality('cleaned') };
}

/**
 * One line for the user, e.g. `cleaning 8 test pages: RMSE 0.190 → 0.041, PSNR 14.5 → 27.9 dB`.
 *
 * @param quality - The measured RMSE and PSNR of the dirty and cleaned pages.
 */
export function describePageDenoising(quality: PageDenoisingQuality): string {
  const { dirty, cleaned } = quality;
  return (
    `cleaning ${quality.pages} test page${quality.pages === 1 ? '' : 's'}: ` +
    `RMSE ${dirty.rmse.toFixed(3)} → ${cleaned.rmse.toFixed(3)}, PSNR ${dirty.psnr.toFixed(1)} → ${cleaned.psnr.toFixed(1)} dB`
  );
}
