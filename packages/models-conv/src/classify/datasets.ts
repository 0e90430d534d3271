import { ArrayDataset, range, tf, type Dataset } from '@aekit/core';

/**
 * Runs every example of a dataset through `transform`, batch by batch, and
 * keeps the results in memory with the original labels: a fixed noisy copy
 * of the test set, its denoised copy, or its codes. `transform` runs inside
 * `tf.tidy` and gets the batch number, so seeded draws do not depend on
 * anything but the batch size.
 *
 * @param data - The examples to transform.
 * @param transform - Maps a batch `[n, ...]` to a batch `[n, ...]`.
 * @param batchSize - Examples per batch; 256 by default.
 */
export function mapDataset(data: Dataset, transform: (x: tf.Tensor, batch: number) => tf.Tensor, batchSize = 256): ArrayDataset {
  const parts: Float32Array[] = [];
  let exampleShape: number[] = [];
  for (let start = 0, b = 0; start < data.size; start += batchSize, b++) {
    const out = tf.tidy(() => transform(data.batch(range(start, Math.min(start + batchSize, data.size))), b));
    exampleShape = out.shape.slice(1);
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    values.set(part, offset);
    offset += part.length;
  }
  return new ArrayDataset(values, exampleShape, data.labels?.(range(0, data.size)));
}
