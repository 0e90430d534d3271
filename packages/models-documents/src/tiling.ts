import { ConfigError, tf } from '@aekit/core';
import { grayImageFromValues, grayImageValues, type GrayImage } from '@aekit/data-documents';

/** A model that cleans square or rectangular tiles of a page. */
export interface TileModel {
  /** The tile `[height, width]` the model must be given, or undefined when it takes any size (see `multiple`). */
  readonly fixedSize?: readonly [number, number];
  /** For models of any size: tile sides must be multiples of this; 1 by default. */
  readonly multiple?: number;
  /**
   * Maps tiles `[n, h, w, 1]` to cleaned tiles of the same shape; the caller owns the result.
   *
   * @param tiles - Dirty tiles `[n, h, w, 1]`, values in [0, 1].
   */
  predict(tiles: tf.Tensor4D): tf.Tensor;
}

/** Options of {@link tilePage}. */
export interface TilingOptions {
  /** Side of the square tiles for models of any size; 256 by default. Fixed-size models use their size. */
  tileSize?: number;
  /** Pixels neighbouring tiles share, where their outputs are blended; 32 by default. */
  overlap?: number;
  /** Tiles per model call; 8 by default. */
  batchSize?: number;
}

/**
 * Where tiles start along one side of a page: every `tile - overlap`
 * pixels, with the last tile moved back to end at the page's edge (so it
 * may overlap its neighbour more). A side no longer than a tile gets one tile.
 *
 * @param length - Height or width of the page, in pixels.
 * @param tile - Side of a tile, in pixels.
 * @param overlap - Pixels neighbouring tiles share.
 */
export function tileStarts(length: number, tile: number, overlap: number): number[] {
  if (length <= tile) return [0];
  const stride = tile - overlap;
  const starts: number[] = [];
  for (let start = 0; start + tile < length; start += stride) starts.push(start);
  starts.push(length - tile);
  return starts;
}

/**
 * Blending weights along one side of a tile: a raised-cosine ramp over the
 * `overlap` pixels on each side that has a neighbouring tile, 1 elsewhere.
 * Ramps of neighbours add up to 1, so blended outputs fade smoothly from
 * one tile into the next, and tile borders, where a convolution sees
 * padding instead of the page, count least. Every weight is positive.
 *
 * @param tile - Length of the tile.
 * @param overlap - Length of each ramp.
 * @param rampIn - Whether a tile comes before this one.
 * @param rampOut - Whether a tile comes after it.
 */
export function blendWeights(tile: number, overlap: number, rampIn: boolean, rampOut: boolean): Float64Array {
  const weights = new Float64Array(tile).fill(1);
  for (let k = 0; k < Math.min(overlap, tile); k++) {
    const ramp = 0.5 - 0.5 * Math.cos((Math.PI * (k + 0.5)) / overlap);
    if (rampIn) weights[k] = Math.min(weights[k], ramp);
    if (rampOut) weights[tile - 1 - k] = Math.min(weights[tile - 1 - k], ramp);
  }
  return weights;
}

const roundUp = (n: number, multiple: number) => Math.ceil(n / multiple) * multiple;

/**
 * Runs a tile model over a whole page of any size: cuts overlapping tiles,
 * cleans them in batches, and blends the outputs with raised-cosine
 * weights (accumulated in double precision) so no seams show. Pages smaller
 * than a tile are padded by repeating their edge pixels, and the padding is
 * cut off again. Through an identity model, the page comes back exactly.
 *
 * @param model - The tile model.
 * @param values - The page, `width * height` values in [0, 1], row-major.
 * @param width - Page width.
 * @param height - Page height.
 * @param options - Tile size, overlap and batch size.
 * @returns The cleaned page, `width * height` values.
 */
export async function tilePage(
  model: TileModel,
  values: Float32Array,
  width: number,
  height: number,
  options: TilingOptions = {},
): Promise<Float32Array> {
  const { tileHeight, tileWidth, overlap, batchSize } = planTiles(model, width, height, options);
  // The page padded to at least one tile in each direction.
  const padWidth = Math.max(width, tileWidth);
  const padHeight = Math.max(height, tileHeight);
  const ys = tileStarts(padHeight, tileHeight, overlap);
  const xs = tileStarts(padWidth, tileWidth, overlap);
  const tiles = ys.flatMap((y, r) => xs.map((x, c) => ({ x, y, r, c })));
  const sum = new Float64Array(padWidth * padHeight);
  const weight = new Float64Array(padWidth * padHeight);
  const rowWeights = ys.map((_, r) => blendWeights(tileHeight, overlap, r > 0, r < ys.length - 1));
  const colWeights = xs.map((_, c) => blendWeights(tileWidth, overlap, c > 0, c < xs.length - 1));
  const perTile = tileWidth * tileHeight;

  for (let start = 0; start < tiles.length; start += batchSize) {
    const batch = tiles.slice(start, start + batchSize);
    const input = new Float32Array(batch.length * perTile);
    batch.forEach((t, n) => {
      for (let row = 0; row < tileHeight; row++) {
        // Rows and columns beyond the page repeat its last row and column.
        const sourceRow = Math.min(t.y + row, height - 1) * width;
        for (let col = 0; col < tileWidth; col++) {
          input[n * perTile + row * tileWidth + col] = values[sourceRow + Math.min(t.x + col, width - 1)];
        }
      }
    });
    const output = tf.tidy(() => model.predict(tf.tensor4d(input, [batch.length, tileHeight, tileWidth, 1])));
    const cleaned = (await output.data()) as Float32Array;
    output.dispose();
    if (cleaned.length !== input.length) {
      throw new ConfigError('model', `returned ${cleaned.length / batch.length} values for a ${tileWidth}x${tileHeight} tile`);
    }
    batch.forEach((t, n) => {
      const wy = rowWeights[t.r];
      const wx = colWeights[t.c];
      for (let row = 0; row < tileHeight; row++) {
        for (let col = 0; col < tileWidth; col++) {
          const w = wy[row] * wx[col];
          const at = (t.y + row) * padWidth + t.x + col;
          sum[at] += w * cleaned[n * perTile + row * tileWidth + col];
          weight[at] += w;
        }
      }
    });
  }

  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = sum[y * padWidth + x] / weight[y * padWidth + x];
  }
  return out;
}

/** Tile sizes for a page, checked against the model's needs. */
function planTiles(model: TileModel, width: number, height: number, options: TilingOptions) {
  const overlap = options.overlap ?? 32;
  const batchSize = options.batchSize ?? 8;
  if (!(width > 0 && height > 0)) throw new ConfigError('image', `a page needs pixels, got ${width}x${height}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('batchSize', `expected a positive integer, got ${batchSize}`);
  const multiple = model.multiple ?? 1;
  const tileSize = options.tileSize ?? 256;
  if (!model.fixedSize && (!Number.isInteger(tileSize) || tileSize < multiple || tileSize % multiple !== 0)) {
    throw new ConfigError('tile', `expected a positive multiple of ${multiple} (the model's downsampling), got ${tileSize}`);
  }
  const [fullHeight, fullWidth] = model.fixedSize ?? [tileSize, tileSize];
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= Math.min(fullHeight, fullWidth)) {
    throw new ConfigError('overlap', `expected a whole number of pixels from 0 to ${Math.min(fullHeight, fullWidth) - 1}, got ${overlap}`);
  }
  // A model of any size cleans a side shorter than a tile in one tile just long enough
  // to hold it; along such a side there is a single tile, so nothing to blend.
  const tileHeight = model.fixedSize ? fullHeight : Math.min(fullHeight, roundUp(height, multiple));
  const tileWidth = model.fixedSize ? fullWidth : Math.min(fullWidth, roundUp(width, multiple));
  return { tileHeight, tileWidth, overlap, batchSize };
}

/**
 * Cleans a grayscale page of any size with a tile model ({@link tilePage})
 * and returns it as an 8-bit image.
 *
 * @param model - The tile model.
 * @param page - The dirty page.
 * @param options - Tile size, overlap and batch size.
 */
export async function denoiseImage(model: TileModel, page: GrayImage, options: TilingOptions = {}): Promise<GrayImage> {
  const cleaned = await tilePage(model, grayImageValues(page), page.width, page.height, options);
  return grayImageFromValues(cleaned, page.width, page.height);
}
