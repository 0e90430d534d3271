import { sizeOfShape } from '@aekit/core';

/** Widest aspect ratio (width / height) kept for a code drawn row by row. */
const MAX_ASPECT = 8;

/**
 * A sensible `[height, width]` to draw one code as a grayscale picture; the
 * code's values are laid out row-major, as they are stored.
 *
 * A convolutional code `[h, w, c]` is drawn as its `h` rows with the `w * c`
 * values of each row side by side (`[4, 4, 8]` → `[4, 32]`, the Keras blog
 * picture) unless that is wider than 8:1; then each of the `h * w` positions
 * gets a row of its `c` channels (`[7, 7, 32]` → `[49, 32]`). A flat code of
 * `n` values becomes the most nearly square `a * b = n` with `a <= b`.
 *
 * @param latentShape - Shape of one code.
 */
export function codeImageShapeFor(latentShape: readonly number[]): [number, number] {
  if (latentShape.length === 3) {
    const [h, w, c] = latentShape;
    return (w * c) / h <= MAX_ASPECT ? [h, w * c] : [h * w, c];
  }
  const n = sizeOfShape(latentShape);
  let rows = Math.floor(Math.sqrt(n));
  while (n % rows !== 0) rows--;
  return [rows, n / rows];
}
