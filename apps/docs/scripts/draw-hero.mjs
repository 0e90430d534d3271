// Draws the home page's picture: the shipped demo VAE decoder's digits on a
// grid across its 2-D latent plane (public/images/hero-manifold.png), white
// on transparent. Run after train-demo-models.mjs: `node scripts/draw-hero.mjs`.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { tf, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';

const GRID = 9;
const RANGE = 2.2;
const SIDE = 28;
const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const modelDir = join(publicDir, 'models', 'vae-decoder');

registerWasmKernels();
await useBackend('wasm');
const modelJson = JSON.parse(await readFile(join(modelDir, 'model.json'), 'utf8'));
const weights = await readFile(join(modelDir, 'weights.bin'));
const decoder = await tf.loadLayersModel(
  tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }),
);
const points = [];
for (let r = 0; r < GRID; r++) {
  for (let c = 0; c < GRID; c++) points.push([-RANGE + (2 * RANGE * c) / (GRID - 1), RANGE - (2 * RANGE * r) / (GRID - 1)]);
}
const images = await tf.tidy(() => decoder.predict(tf.tensor2d(points))).data();
const png = new PNG({ width: GRID * SIDE, height: GRID * SIDE });
for (let k = 0; k < GRID * GRID; k++) {
  const top = Math.floor(k / GRID) * SIDE;
  const left = (k % GRID) * SIDE;
  for (let p = 0; p < SIDE * SIDE; p++) {
    const i = ((top + Math.floor(p / SIDE)) * png.width + left + (p % SIDE)) * 4;
    const v = Math.round(255 * images[k * SIDE * SIDE + p]);
    // Brand-coloured ink on transparent paper, so it suits light and dark themes.
    png.data.set([52, 81, 178, v], i);
  }
}
await writeFile(join(publicDir, 'images', 'hero-manifold.png'), PNG.sync.write(png));
console.log('wrote public/images/hero-manifold.png');
