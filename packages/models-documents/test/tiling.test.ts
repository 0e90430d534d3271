import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, tf, useBackend } from '@aekit/core';
import { blendWeights, DocumentDenoiser, tilePage, tileStarts, type TileModel } from '../src/index.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** A page of values that differ from pixel to pixel, so any misplaced pixel shows. */
function page(width: number, height: number): Float32Array {
  return Float32Array.from({ length: width * height }, (_, i) => ((i * 7919) % 1000) / 999);
}

/** A real tfjs model of any size that returns its input: a 1x1 convolution with weight 1 and bias 0. */
function identityLayersModel(): tf.LayersModel {
  const input = tf.input({ shape: [null, null, 1] });
  const conv = tf.layers.conv2d({ filters: 1, kernelSize: 1, useBias: true, kernelInitializer: 'ones', biasInitializer: 'zeros' });
  return tf.model({ inputs: input, outputs: conv.apply(input) as tf.SymbolicTensor });
}

describe('tile planning', () => {
  it('steps by tile minus overlap and ends the last tile at the edge', () => {
    expect(tileStarts(100, 32, 8)).toEqual([0, 24, 48, 68]);
    expect(tileStarts(64, 64, 16)).toEqual([0]);
    expect(tileStarts(20, 64, 16)).toEqual([0]);
    expect(tileStarts(65, 64, 0)).toEqual([0, 1]);
  });

  it('blends neighbours with raised-cosine ramps that add up to one', () => {
    const left = blendWeights(32, 8, false, true);
    const right = blendWeights(32, 8, true, false);
    for (let k = 0; k < 8; k++) expect(left[24 + k] + right[k]).toBeCloseTo(1, 12);
    expect(left[0]).toBe(1);
    expect(Math.min(...left, ...right)).toBeGreaterThan(0);
  });
});

describe('tilePage', () => {
  const identity: TileModel = { multiple: 4, predict: (tiles) => tf.clone(tiles) };

  it('gives a page back exactly through an identity model, at sizes tiles do not divide', async () => {
    for (const [width, height] of [
      [300, 217],
      [64, 64],
      [65, 129],
      [13, 7],
    ]) {
      const values = page(width, height);
      const out = await tilePage(identity, values, width, height, { tileSize: 64, overlap: 16, batchSize: 3 });
      expect(out.length).toBe(width * height);
      expect(Buffer.from(out.buffer).equals(Buffer.from(values.buffer)), `${width}x${height}`).toBe(true);
    }
  });

  it('gives a page back exactly through a real identity tfjs model of any size', async () => {
    const model = identityLayersModel();
    const before = tf.memory().numTensors;
    const values = page(201, 150);
    const tiles: TileModel = { multiple: 1, predict: (t) => model.predict(t) as tf.Tensor };
    const out = await tilePage(tiles, values, 201, 150, { tileSize: 48, overlap: 12 });
    expect(Buffer.from(out.buffer).equals(Buffer.from(values.buffer))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('uses the size of a fixed-size model, padding pages smaller than a tile', async () => {
    const seen: number[][] = [];
    const fixed: TileModel = { fixedSize: [32, 24], predict: (t) => (seen.push(t.shape), tf.clone(t)) };
    for (const [width, height] of [
      [70, 45],
      [10, 20],
    ]) {
      const values = page(width, height);
      const out = await tilePage(fixed, values, width, height, { overlap: 8 });
      expect(Buffer.from(out.buffer).equals(Buffer.from(values.buffer))).toBe(true);
    }
    expect(seen.every((shape) => shape[1] === 32 && shape[2] === 24 && shape[3] === 1)).toBe(true);
  });

  it('blends without seams: a model that shifts each tile by its own amount gives a smooth page', async () => {
    let call = 0;
    // Each tile's output is offset by a different constant, as tiles of a real model disagree a little.
    const shifting: TileModel = { multiple: 1, predict: (t) => tf.add(t, tf.mul(0.01, tf.scalar(call++ % 2))) };
    const flat = new Float32Array(120 * 40).fill(0.5);
    const out = await tilePage(shifting, flat, 120, 40, { tileSize: 40, overlap: 16, batchSize: 1 });
    let largestStep = 0;
    for (let x = 1; x < 120; x++) largestStep = Math.max(largestStep, Math.abs(out[20 * 120 + x] - out[20 * 120 + x - 1]));
    // The 0.01 jump between tiles is spread over the 16-pixel overlap.
    expect(largestStep).toBeLessThan(0.0025);
    expect(largestStep).toBeGreaterThan(0);
  });

  it('cleans a page of any size with a doc-denoiser', async () => {
    const denoiser = new DocumentDenoiser({ filters: [4, 4], kernelSize: 3 }, [16, 16, 1]);
    const values = page(53, 38);
    const tiles: TileModel = { multiple: denoiser.sizeMultiple, predict: (t) => denoiser.denoise(t) };
    const out = await tilePage(tiles, values, 53, 38, { tileSize: 32, overlap: 8 });
    expect(out.length).toBe(53 * 38);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
    denoiser.dispose();
  });

  it('refuses tiles the model cannot take and overlaps as large as a tile', async () => {
    const values = page(50, 50);
    await expect(tilePage(identity, values, 50, 50, { tileSize: 30 })).rejects.toThrow(/^tile: expected a positive multiple of 4/);
    await expect(tilePage(identity, values, 50, 50, { tileSize: 32, overlap: 32 })).rejects.toThrow(ConfigError);
    await expect(tilePage(identity, new Float32Array(0), 0, 0)).rejects.toThrow(/^image: a page needs pixels, got 0x0$/);
  });
});
