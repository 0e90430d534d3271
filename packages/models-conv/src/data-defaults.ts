import { sizeOfShape, type DataFacts } from '@aekit/core';

/**
 * Input values per code value that the defaults keep: about MNIST's 6 (784
 * pixels, a 4x4x8 code of 128).
 */
const COMPRESSION = 6;
/** Side of the code's feature maps the defaults aim for on images larger than MNIST's. */
const CODE_SIDE = 8;

/**
 * The data defaults (in the `configFor` hook) of `conv` and `conv-denoise`: encoder stages that
 * follow the image size. MNIST-sized grey images keep the Keras blog's
 * 16-8-8 (a 4x4x8 code). Larger images get as many 2x2 poolings as bring
 * them down to about 8x8 (two for 32x32, three for 64x64), 64 then 32
 * filters wide, and a last stage with as many channels as keep the code at
 * a sixth of the input's values: 8 for 32x32 colour images, an 8x8x8 code
 * of 512 values for 3,072. The blog's 16-8-8 on such images draws blurs (a
 * 4x4x8 code for 3,072 values).
 *
 * @param data - What the data is, and the shape of an example.
 */
export function convDataDefaults(data: DataFacts): { encoderFilters: number[] } | undefined {
  const inputSize = sizeOfShape(data.dataShape);
  if (inputSize === 28 * 28 || data.dataShape.length !== 3) return undefined;
  const [height, width] = data.dataShape;
  const depth = Math.min(6, Math.max(1, Math.round(Math.log2(Math.min(height, width) / CODE_SIDE))));
  const codeSide = Math.ceil(height / 2 ** depth) * Math.ceil(width / 2 ** depth);
  const codeChannels = Math.max(4, Math.round(inputSize / COMPRESSION / codeSide));
  const inner = [64, 32, 32, 32, 32].slice(0, depth - 1);
  return { encoderFilters: [...inner, codeChannels] };
}
