// The loss a model gets without learning anything about the digit in front
// of it: always answering the average training digit. The train demo shows
// it next to the validation loss, so that a run stuck at grey blobs is
// visible as a loss close to this baseline.
import type { Dataset, tf as Tf } from '@aekit/core';

/**
 * Mean binary cross-entropy, over the `validation` digits, of predicting
 * the mean image of the `train` digits for every one of them.
 *
 * @param tf - The tfjs module the datasets' tensors belong to.
 * @param train - The digits whose mean image is the prediction.
 * @param validation - The digits the prediction is scored on.
 */
export async function averageDigitLoss(tf: typeof Tf, train: Dataset, validation: Dataset): Promise<number> {
  const all = (size: number) => Int32Array.from({ length: size }, (_, i) => i);
  const loss = tf.tidy(() => {
    const mean = train.batch(all(train.size)).reshape([train.size, -1]).mean(0, true);
    const target = validation.batch(all(validation.size)).reshape([validation.size, -1]);
    const p = mean.clipByValue(1e-7, 1 - 1e-7);
    const perPixel = target.mul(p.log()).add(tf.scalar(1).sub(target).mul(tf.scalar(1).sub(p).log()));
    return perPixel.mean().neg();
  });
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}
