import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, fit, tf, useBackend } from '@aekit/core';
import { loadMnist, type ByteImageDataset } from '@aekit/data-mnist';
import { UPSAMPLING_MODES } from '../src/index.js';
import { build, pluginRegistry } from './helpers.js';

let train: ByteImageDataset;

beforeAll(async () => {
  await useBackend('wasm');
  ({ train } = await loadMnist({ trainLimit: 256 }));
});

/** Class names of the decoder's layers, in order. */
const decoderLayers = (mode: string) => {
  const ae = build('conv', { upsampling: mode });
  const names = ae.decoder.model.layers.map((l) => l.getClassName());
  const interpolation = ae.decoder.model.layers.filter((l) => l.getClassName() === 'UpSampling2D').map((l) => l.getConfig().interpolation);
  ae.dispose();
  return { names, interpolation };
};

describe('the way up', () => {
  it('up-samples by nearest neighbour or bilinear interpolation, each time followed by a convolution', () => {
    for (const mode of ['nearest', 'bilinear']) {
      const { names, interpolation } = decoderLayers(mode);
      expect(names.filter((n) => n !== 'InputLayer')).toEqual([
        ...Array(3).fill(['Conv2D', 'UpSampling2D']).flat(),
        'Conv2D',
      ]);
      expect(interpolation).toEqual([mode, mode, mode]);
    }
  });

  it('or uses stride-2 transposed convolutions, cropping 32 back to 28', () => {
    const { names } = decoderLayers('transposed');
    expect(names.filter((n) => n !== 'InputLayer')).toEqual(['Conv2DTranspose', 'Conv2DTranspose', 'Conv2DTranspose', 'Cropping2D', 'Conv2D']);
  });

  for (const mode of UPSAMPLING_MODES) {
    it(`trains with ${mode} up-sampling`, async () => {
      const ae = build('conv', { upsampling: mode });
      const before = await evaluate(ae, train);
      await fit(ae, train, { epochs: 3, batchSize: 32, learningRate: 0.005, seed: 2 });
      const after = await evaluate(ae, train);
      expect(after.loss).toBeLessThan(before.loss * 0.7);
      ae.dispose();
    });
  }
});

describe('other shapes', () => {
  it('adds a dense code of latentDim values and trains', async () => {
    const ae = build('conv', { latentDim: 32 });
    expect(ae.latentShape).toEqual([32]);
    const before = await evaluate(ae, train);
    await fit(ae, train, { epochs: 2, batchSize: 32, learningRate: 0.005, seed: 2 });
    expect((await evaluate(ae, train)).loss).toBeLessThan(before.loss * 0.7);
    ae.dispose();
  });

  it('returns images of any size and channel count', () => {
    for (const [config, dataShape] of [
      [{ upsampling: 'nearest' }, [20, 26, 3]],
      [{ upsampling: 'transposed', encoderFilters: [4, 4, 4, 4] }, [28, 28, 1]],
      [{ kernelSize: 5, decoderFilters: [3, 5, 7] }, [28, 28, 1]],
    ] as const) {
      const ae = pluginRegistry().create('conv', config, { seed: 0, dataShape });
      const out = tf.tidy(() => ae.reconstruct(tf.ones([1, ...dataShape])));
      expect(out.shape).toEqual([1, ...dataShape]);
      out.dispose();
      ae.dispose();
    }
  });
});
