import { describe, expect, it } from 'vitest';
import { ConfigError, sizeOfShape } from '@aekit/core';
import { convVaeFamily, vaeFamily } from '../src/index.js';
import { createVae } from './helpers.js';

function refusal(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('the config was accepted');
}

describe('configs', () => {
  it('default to the Keras example: 784 -> 512 -> 2 -> 512 -> 784', () => {
    const vae = createVae('vae', {});
    expect(vae.config).toEqual({ latentDim: 2, hidden: [512], activation: 'relu', beta: 1, klWarmupEpochs: 0, freeBits: 0 });
    expect(vae.inputShape).toEqual([784]);
    expect(vae.latentShape).toEqual([2]);
    expect(vae.decoder.model.outputs[0].shape).toEqual([null, 784]);
    expect(vae.encoder.model.getLayer('encoder_dense_1').outputShape).toEqual([null, 512]);
    expect(vae.model.outputs.map((o) => o.shape)).toEqual([[null, 784], [null, 2], [null, 2]]);
    const parameters = vae.model.weights.reduce((n, w) => n + sizeOfShape(w.shape as number[]), 0);
    expect(parameters).toBe(784 * 512 + 512 + 2 * (512 * 2 + 2) + 2 * 512 + 512 + 512 * 784 + 784);
    // The example's 50 epochs of batches of 128 on MNIST's 54,000 training digits, as a step budget.
    expect(vaeFamily.training).toEqual({ steps: 50 * 422, epochs: 50, batchSize: 128, workers: 1 });
    vae.dispose();

    const conv = createVae('conv-vae', {});
    expect(conv.config).toMatchObject({ latentDim: 2, filters: [32, 64], kernelSize: 3, denseUnits: 16 });
    expect(conv.inputShape).toEqual([28, 28, 1]);
    expect(conv.decoder.model.outputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(convVaeFamily.training?.batchSize).toBe(128);
    conv.dispose();
  });

  it.each([
    ['vae', { latentDim: 0 }, 'vae.latentDim'],
    ['vae', { latentDim: 2.5 }, 'vae.latentDim'],
    ['vae', { beta: -1 }, 'vae.beta'],
    ['vae', { klWarmupEpochs: 1.5 }, 'vae.klWarmupEpochs'],
    ['vae', { hidden: [512, 0] }, 'vae.hidden.1'],
    ['vae', { hidden: [] }, 'vae.hidden'],
    ['vae', { activation: 'swish' }, 'vae.activation'],
    ['conv-vae', { filters: [32, -64] }, 'conv-vae.filters.1'],
    ['conv-vae', { kernelSize: 0 }, 'conv-vae.kernelSize'],
    ['conv-vae', { denseUnits: -1 }, 'conv-vae.denseUnits'],
  ] as const)('%s refuses %j naming %s', (family, config, field) => {
    const error = refusal(() => createVae(family, config));
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  it('refuses unknown fields, so a typo does not pass silently', () => {
    const error = refusal(() => createVae('vae', { latentDims: 20 }));
    expect(error.message).toMatch(/latentDims/);
  });

  it('refuses data the convolutional VAE cannot fit, naming the field', () => {
    // Any size of at least 2 ** layers works (30 is not divisible by 4: the decoder crops); smaller ones are refused.
    expect(refusal(() => createVae('conv-vae', {}, [3, 30, 1])).field).toBe('conv-vae.filters');
    const odd = createVae('conv-vae', {}, [30, 30, 1]);
    expect(odd.inputShape).toEqual([30, 30, 1]);
    odd.dispose();
    expect(refusal(() => createVae('conv-vae', {}, [784])).field).toBe('dataShape');
    expect(refusal(() => createVae('vae', {}, [28, 0])).field).toBe('dataShape');
    const oneFilter = createVae('conv-vae', { filters: [8] }, [30, 30]);
    expect(oneFilter.inputShape).toEqual([30, 30, 1]);
    oneFilter.dispose();
  });
});
