import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, useBackend } from '@aekit/core';
import { codeImageShapeFor, convConfigSchema, convDenoiseFamily, convFamily, planDecoder, plugin, pooledSize } from '../src/index.js';
import { build, MNIST_SHAPE, pluginRegistry } from './helpers.js';

beforeAll(async () => {
  await useBackend('wasm');
});

describe('the plugin', () => {
  it('registers both families and the classify command', () => {
    const registry = pluginRegistry();
    expect(registry.names()).toEqual(['conv', 'conv-denoise']);
    expect(registry.commands().map((c) => c.name)).toEqual(['classify']);
    expect(plugin.name).toBe('@aekit/models-conv');
  });

  it('trains conv-denoise with gaussian noise 0.5 by default, conv without', () => {
    expect(convDenoiseFamily.training?.noise).toEqual({ type: 'gaussian', factor: 0.5 });
    expect(convFamily.training?.noise).toBeUndefined();
  });
});

describe('config', () => {
  it('fills every field with a default', () => {
    const conv = build('conv');
    expect(conv.config).toEqual({ encoderFilters: [16, 8, 8], decoderFilters: null, kernelSize: 3, upsampling: 'nearest', latentDim: null });
    const denoise = build('conv-denoise');
    expect(denoise.config).toMatchObject({ encoderFilters: [32, 32], upsampling: 'nearest' });
    conv.dispose();
    denoise.dispose();
  });

  it('refuses invalid configs, naming the field', () => {
    const refuse = (config: unknown) => () => pluginRegistry().create('conv', config, { seed: 0, dataShape: MNIST_SHAPE });
    expect(refuse({ encoderFilters: [] })).toThrow(/^conv\.encoderFilters: /);
    expect(refuse({ encoderFilters: [16, -8] })).toThrow(/^conv\.encoderFilters\.1: .*got -8/);
    expect(refuse({ encoderFilters: [16, 8], decoderFilters: [8, 8, 16] })).toThrow(
      /^conv\.decoderFilters: expected 2 entries, one per encoder stage/,
    );
    expect(refuse({ kernelSize: 0 })).toThrow(/^conv\.kernelSize: /);
    expect(refuse({ upsampling: 'cubic' })).toThrow(/^conv\.upsampling: .*"nearest"\|"bilinear"\|"transposed"/);
    expect(refuse({ latentDim: 2.5 })).toThrow(/^conv\.latentDim: /);
    expect(refuse({ encoderFilter: [16] })).toThrow(/conv\.encoderFilter: is not a setting here \(unknown key\)/);
    expect(refuse({})).not.toThrow();
  });

  it('refuses data that is not an image', () => {
    const create = () => pluginRegistry().create('conv', {}, { seed: 0, dataShape: [784] });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/^dataShape: the conv family needs images \[height, width, channels\], got \[784\]/);
  });

  it('takes other defaults per family from one schema', () => {
    const schema = convConfigSchema({ encoderFilters: [4], kernelSize: 5, upsampling: 'bilinear' });
    expect(schema.parse({})).toEqual({ encoderFilters: [4], decoderFilters: null, kernelSize: 5, upsampling: 'bilinear', latentDim: null });
  });
});

describe('planDecoder', () => {
  it("makes the Keras blog's third decoder convolution 'valid' (16 → 14)", () => {
    expect(pooledSize(28, 3)).toBe(4);
    expect(planDecoder([28, 28], 3, 3, 'nearest')).toEqual({ codeSize: [4, 4], validLastConv: true, crop: null });
  });

  it('needs nothing when the code doubles back exactly (7 → 14 → 28)', () => {
    expect(planDecoder([28, 28], 2, 3, 'nearest')).toEqual({ codeSize: [7, 7], validLastConv: false, crop: null });
  });

  it('crops where a valid convolution does not fit', () => {
    // Transposed convolutions double 4 → 32; 2 pixels go from each edge.
    expect(planDecoder([28, 28], 3, 3, 'transposed').crop).toEqual([
      [2, 2],
      [2, 2],
    ]);
    // A 5x5 valid convolution would shed 4 pixels before the last doubling, 8 after it; 4 are too many.
    expect(planDecoder([28, 28], 3, 5, 'bilinear')).toMatchObject({ validLastConv: false, crop: [[2, 2], [2, 2]] });
    // 20 x 26: 3 → 24 rows (4 extra), 4 → 32 columns (6 extra).
    expect(planDecoder([20, 26], 3, 3, 'nearest')).toEqual({ codeSize: [3, 4], validLastConv: false, crop: [[2, 2], [3, 3]] });
  });
});

describe('codeImageShapeFor', () => {
  it('draws the 4x4x8 code as 4 rows of 32, the Keras blog picture', () => {
    expect(codeImageShapeFor([4, 4, 8])).toEqual([4, 32]);
    const conv = build('conv');
    expect(convFamily.codeImageShape?.(conv)).toEqual([4, 32]);
    conv.dispose();
  });

  it('gives wide codes one row per position and flat codes a near-square', () => {
    expect(codeImageShapeFor([7, 7, 32])).toEqual([49, 32]);
    expect(codeImageShapeFor([32])).toEqual([4, 8]);
    expect(codeImageShapeFor([64])).toEqual([8, 8]);
    expect(codeImageShapeFor([7])).toEqual([1, 7]);
  });
});
