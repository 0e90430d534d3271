import { PNG } from 'pngjs';

/** How one item of a model is drawn as a picture. */
export interface ImageLayout {
  /** Rows of pixels. */
  height: number;
  /** Columns of pixels. */
  width: number;
  /** 1 for grayscale, 3 for RGB. */
  channels: 1 | 3;
}

/**
 * How to draw items of a given shape as pictures: `[h, w, c]` with 1 or 3
 * channels, `[h, w]` (e.g. a sequence model's rows) as grayscale, and flat
 * vectors by the data shape recorded at export (e.g. `[28, 28, 1]`) or,
 * failing that, as a square. Undefined when the shape is no picture.
 *
 * @example
 * ```ts
 * import { imageLayoutFor } from '@aekit/export-onnx';
 *
 * imageLayoutFor([784], [28, 28, 1]); // { height: 28, width: 28, channels: 1 }
 * imageLayoutFor([32, 32, 3]); // { height: 32, width: 32, channels: 3 }
 * imageLayoutFor([10]); // undefined: not a picture
 * ```
 * @param itemShape - Shape of one item, without the batch axis.
 * @param dataShape - Shape of one example recorded at export, if any.
 */
export function imageLayoutFor(itemShape: readonly number[], dataShape?: readonly number[]): ImageLayout | undefined {
  const fromShape = (shape: readonly number[]): ImageLayout | undefined => {
    if (shape.length === 3 && (shape[2] === 1 || shape[2] === 3)) return { height: shape[0], width: shape[1], channels: shape[2] };
    if (shape.length === 2) return { height: shape[0], width: shape[1], channels: 1 };
    return undefined;
  };
  const direct = fromShape(itemShape);
  if (direct) return direct;
  const size = itemShape.reduce((a, b) => a * b, 1);
  if (dataShape && dataShape.reduce((a, b) => a * b, 1) === size) {
    const viaData = fromShape(dataShape);
    if (viaData) return viaData;
  }
  const side = Math.round(Math.sqrt(size));
  return itemShape.length === 1 && side * side === size && side > 1 ? { height: side, width: side, channels: 1 } : undefined;
}

/**
 * Encodes one item as a PNG (grayscale or RGB), values clipped to [0, 1].
 *
 * @example
 * ```ts
 * import { writeFile } from 'node:fs/promises';
 * import { encodePng } from '@aekit/export-onnx';
 *
 * const item = new Float32Array(28 * 28).fill(0.5); // one reconstruction, values in [0, 1]
 * await writeFile('item.png', encodePng(item, { height: 28, width: 28, channels: 1 })); // a mid-grey 28×28 PNG
 * ```
 * @param values - One item's values, row-major in the layout's shape.
 * @param layout - Height, width and channels of the picture.
 */
export function encodePng(values: Float32Array, layout: ImageLayout): Buffer {
  const png = new PNG({ width: layout.width, height: layout.height });
  const byte = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255);
  const pixels = layout.width * layout.height;
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = layout.channels === 1 ? [values[p], values[p], values[p]] : [values[3 * p], values[3 * p + 1], values[3 * p + 2]];
    png.data[4 * p] = byte(r);
    png.data[4 * p + 1] = byte(g);
    png.data[4 * p + 2] = byte(b);
    png.data[4 * p + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: layout.channels === 1 ? 0 : 2 });
}
