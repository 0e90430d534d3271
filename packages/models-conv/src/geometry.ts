import type { UpsamplingMode } from './config.js';

/** Pixels cut from each edge: `[[top, bottom], [left, right]]`, as `tf.layers.cropping2D` takes them. */
export type Cropping = [[number, number], [number, number]];

/**
 * How the decoder gets back to exactly the input size. Max pooling with
 * 'same' padding rounds odd sizes up (28 → 14 → 7 → 4), so doubling the
 * code back (4 → 8 → 16 → 32) can overshoot. The Keras blog model sheds the
 * extra pixels with a 'valid' last convolution (16 → 14, then up to 28);
 * where that does not fit, the decoder crops after its last up-sampling.
 */
export interface DecoderGeometry {
  /** Height and width of the code's feature maps. */
  codeSize: [number, number];
  /** The last decoder convolution is 'valid' (it sheds `kernelSize - 1` pixels before the last up-sampling). */
  validLastConv: boolean;
  /** Pixels to crop after the last up-sampling, or null when the size already fits. */
  crop: Cropping | null;
}

/**
 * Plans the decoder's sizes for an image of the given height and width.
 *
 * @param imageSize - Height and width of the input images.
 * @param depth - Number of encoder stages (2x2 poolings).
 * @param kernelSize - Side of the convolution kernels.
 * @param upsampling - How the decoder scales up; transposed convolutions have no separate convolution to make 'valid'.
 */
export function planDecoder(
  imageSize: readonly [number, number],
  depth: number,
  kernelSize: number,
  upsampling: UpsamplingMode,
): DecoderGeometry {
  const codeSize = imageSize.map((size) => pooledSize(size, depth)) as [number, number];
  const excess = codeSize.map((size, axis) => size * 2 ** depth - imageSize[axis]);
  if (excess.every((e) => e === 0)) return { codeSize, validLastConv: false, crop: null };
  const shedByValidConv = 2 * (kernelSize - 1);
  const lastConvInput = Math.min(...codeSize) * 2 ** (depth - 1);
  if (upsampling !== 'transposed' && excess.every((e) => e === shedByValidConv) && lastConvInput >= kernelSize) {
    return { codeSize, validLastConv: true, crop: null };
  }
  const [h, w] = excess.map((e) => [Math.floor(e / 2), Math.ceil(e / 2)] as [number, number]);
  return { codeSize, validLastConv: false, crop: [h, w] };
}

/**
 * Size after `depth` 2x2 max poolings with 'same' padding (each rounds up).
 *
 * @param size - Height or width before pooling.
 * @param depth - Number of poolings.
 */
export function pooledSize(size: number, depth: number): number {
  let out = size;
  for (let i = 0; i < depth; i++) out = Math.ceil(out / 2);
  return out;
}
