// PSNR and SSIM of a run's reconstructions of its test images, for
// scripts/defaults-results.mjs: the image folder is read again with the
// run's seed and size (the same test split as training), the model
// reconstructs each test image, and core's psnr and ssim compare them.
import { join } from 'node:path';
import { psnr, range, registry, ssim, tf, useBackend } from '@aekit/core';
import { loadAutoencoder } from '@aekit/core/node';
import { plugin as conv } from '@aekit/models-conv';
import { plugin as vae } from '@aekit/models-vae';
import { loadImageFolder } from '../packages/data-images/dist/index.js';

/**
 * Mean PSNR (dB) and SSIM of the test reconstructions of an image run, and
 * those of always answering the mean training image.
 *
 * @param runDir - A run directory of `ae train --data <folder>`.
 * @param folder - The image folder it trained on.
 */
export async function imageQuality(runDir, folder) {
  await useBackend('wasm');
  for (const plugin of [conv, vae]) if (!registry.list().some((f) => f.name === plugin.families[0].name)) registry.use(plugin);
  const metrics = JSON.parse(await (await import('node:fs/promises')).readFile(join(runDir, 'metrics.json'), 'utf8'));
  const [height, width, channels] = metrics.dataShape;
  const data = await loadImageFolder(folder, { size: { width, height }, channels, seed: metrics.seed });
  const autoencoder = await loadAutoencoder(join(runDir, 'model'));
  const test = data.test.reshape(autoencoder.inputShape);
  const train = data.train;
  const meanImage = tf.tidy(() => {
    let sum = tf.zeros(train.exampleShape);
    for (let start = 0; start < train.size; start += 256) sum = tf.add(sum, tf.sum(train.batch(range(start, Math.min(start + 256, train.size))), 0));
    return tf.div(sum, train.size);
  });
  const sums = [0, 0, 0, 0];
  for (let start = 0; start < test.size; start += 128) {
    const indices = range(start, Math.min(start + 128, test.size));
    const values = tf.tidy(() => {
      const x = test.batch(indices);
      const images = tf.reshape(x, [indices.length, height, width, channels]);
      const output = tf.reshape(autoencoder.reconstruct(x), images.shape);
      const mean = tf.broadcastTo(tf.reshape(meanImage, [1, height, width, channels]), images.shape);
      return [psnr(output, images), ssim(output, images), psnr(mean, images), ssim(mean, images)].map((t) => tf.sum(t));
    });
    const read = await Promise.all(values.map((t) => t.data()));
    tf.dispose(values);
    read.forEach((v, i) => (sums[i] += v[0]));
  }
  autoencoder.dispose();
  meanImage.dispose();
  const n = test.size;
  return { testImages: n, psnr: sums[0] / n, ssim: sums[1] / n, meanImagePsnr: sums[2] / n, meanImageSsim: sums[3] / n };
}
