import { ArrayDataset, type Dataset } from '@aekit/core';

/**
 * Small synthetic grey images for the tests, so they need no download:
 * each is one of four bar patterns (horizontal, vertical and the two
 * diagonals) drawn at a random position. Use your own data in place of it;
 * whatever it is, a family trains on `data.reshape(ae.inputShape)`.
 *
 * @param count - Number of images.
 * @param size - Height and width.
 * @param seed - Any integer; the same seed gives the same images.
 */
export function barImages(count: number, size = 28, seed = 0): Dataset {
  let state = seed * 9301 + 49297;
  const random = () => ((state = (state * 9301 + 49297) % 233280) / 233280);
  const values = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const kind = n % 4;
    const offset = Math.floor(random() * (size - 8)) + 4;
    labels[n] = kind;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const along = [y - offset, x - offset, x - y + offset - size / 2, x + y - offset - size / 2][kind];
        values[n * size * size + y * size + x] = Math.abs(along) <= 1 ? 1 : 0;
      }
    }
  }
  return new ArrayDataset(values, [size, size, 1], labels);
}
