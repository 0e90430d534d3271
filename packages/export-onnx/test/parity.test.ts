import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, useBackend } from '@aekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOnnx } from '../src/index.js';
import { expectParity, pythonWithOnnx, runOnnxChecker } from './helpers.js';

const L = tf.layers;

/** A sequential model from an input shape and layers. */
function sequential(inputShape: number[], layers: tf.layers.Layer[]): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const output = layers.reduce<tf.SymbolicTensor>((t, layer) => layer.apply(t) as tf.SymbolicTensor, input);
  return tf.model({ inputs: input, outputs: output });
}

/** Every layer kind the families use, in small models; each must convert exactly. */
const CASES: { name: string; build: () => tf.LayersModel }[] = [
  {
    name: 'dense stack with every activation',
    build: () =>
      sequential(
        [12],
        ['relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'hardSigmoid', 'swish', 'mish', 'gelu', 'gelu_new', 'linear', 'softmax'].map(
          (activation) => L.dense({ units: 7, activation: activation as never }),
        ),
      ),
  },
  {
    name: 'classic conv autoencoder (same/valid Conv2D, MaxPooling2D, UpSampling2D nearest)',
    build: () =>
      sequential(
        [28, 28, 1],
        [
          L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
          L.maxPooling2d({ poolSize: 2, padding: 'same' }),
          L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
          L.maxPooling2d({ poolSize: 2 }),
          L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
          L.upSampling2d({ size: [2, 2] }),
          L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
          L.upSampling2d({ size: [2, 2] }),
          L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
        ],
      ),
  },
  {
    name: 'valid and strided convolutions, dilation, average pooling',
    build: () =>
      sequential(
        [17, 15, 2],
        [
          L.conv2d({ filters: 3, kernelSize: [3, 2], strides: 2, padding: 'same' }),
          L.conv2d({ filters: 3, kernelSize: 3, padding: 'valid', dilationRate: 2 }),
          L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
          L.averagePooling2d({ poolSize: 2, padding: 'valid' }),
          L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }),
        ],
      ),
  },
  {
    name: 'UpSampling2D bilinear and non-square nearest',
    build: () =>
      sequential(
        [5, 4, 3],
        [L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }), L.upSampling2d({ size: [3, 2] }), L.upSampling2d({ size: [1, 3], interpolation: 'bilinear' })],
      ),
  },
  {
    name: 'Conv2DTranspose: same and valid, kernel larger and smaller than stride',
    build: () =>
      sequential(
        [7, 7, 4],
        [
          L.conv2dTranspose({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
          L.conv2dTranspose({ filters: 5, kernelSize: 4, strides: 2, padding: 'same' }),
          L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 1, padding: 'valid' }),
          L.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2, padding: 'valid' }),
          L.conv2dTranspose({ filters: 2, kernelSize: [2, 3], strides: [3, 2], padding: 'same', activation: 'sigmoid' }),
        ],
      ),
  },
  {
    name: 'Flatten and Reshape after NCHW convolutions keep NHWC order',
    build: () =>
      sequential(
        [8, 6, 2],
        [
          L.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }),
          L.flatten(),
          L.dense({ units: 24, activation: 'relu' }),
          L.reshape({ targetShape: [4, 3, 2] }),
          L.conv2d({ filters: 2, kernelSize: 2, padding: 'same' }),
          L.reshape({ targetShape: [-1, 4] }),
        ],
      ),
  },
  {
    name: 'LSTM encoder, RepeatVector, LSTM decoder with TimeDistributed(Dense)',
    build: () =>
      sequential(
        [6, 5],
        [
          L.lstm({ units: 8 }),
          L.repeatVector({ n: 6 }),
          L.lstm({ units: 8, returnSequences: true }),
          L.timeDistributed({ layer: L.dense({ units: 5, activation: 'sigmoid' }) }),
        ],
      ),
  },
  {
    name: 'LSTM, GRU, SimpleRNN variants: activations with alpha/beta in any position, goBackwards',
    build: () =>
      sequential(
        [5, 3],
        [
          L.lstm({ units: 4, returnSequences: true, activation: 'linear', recurrentActivation: 'sigmoid' }),
          L.lstm({ units: 4, returnSequences: true, goBackwards: true }),
          L.gru({ units: 3, returnSequences: true, activation: 'relu' }),
          L.simpleRNN({ units: 3, returnSequences: true }),
          L.lstm({ units: 3, returnSequences: true, activation: 'hardSigmoid', recurrentActivation: 'sigmoid' }),
          L.lstm({ units: 3, returnSequences: true, activation: 'elu', recurrentActivation: 'hardSigmoid' }),
          L.gru({ units: 2, goBackwards: true }),
        ],
      ),
  },
  {
    name: 'Bidirectional LSTM (concat, sequences) and Bidirectional GRU (ave, last state)',
    build: () =>
      sequential(
        [6, 3],
        [
          L.bidirectional({ layer: L.lstm({ units: 4, returnSequences: true }) as never }),
          L.bidirectional({ layer: L.gru({ units: 3 }) as never, mergeMode: 'ave' }),
        ],
      ),
  },
  {
    name: 'TimeDistributed around a convolution',
    build: () => sequential([3, 6, 6, 2], [L.timeDistributed({ layer: L.conv2d({ filters: 2, kernelSize: 3 }) }), L.timeDistributed({ layer: L.flatten() })]),
  },
  {
    name: 'normalisation, padding, cropping and activation layers on feature maps',
    build: () =>
      sequential(
        [6, 6, 3],
        [
          L.batchNormalization(),
          L.zeroPadding2d({ padding: [[1, 2], [0, 1]] }),
          L.conv2d({ filters: 4, kernelSize: 2 }),
          L.leakyReLU({ alpha: 0.2 }),
          L.cropping2D({ cropping: [[1, 0], [0, 2]] }),
          L.batchNormalization({ scale: false }),
          L.reLU({ maxValue: 0.5 }),
          L.dropout({ rate: 0.5 }),
          L.elu(),
          L.softmax({ axis: -1 }),
          L.separableConv2d({ filters: 3, kernelSize: 2, depthMultiplier: 2, padding: 'same' }),
          L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, activation: 'tanh' }),
          L.globalAveragePooling2d({}),
          L.layerNormalization(),
        ],
      ),
  },
  {
    name: 'Conv1D, pooling 1D, global max pooling, Rescaling',
    build: () =>
      sequential(
        [10, 3],
        [
          L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', dilationRate: 2 }),
          L.maxPooling1d({ poolSize: 2 }),
          L.conv1d({ filters: 1, kernelSize: 2, padding: 'same' }),
          L.conv1d({ filters: 2, kernelSize: 2, padding: 'same', strides: 2 }),
          L.globalMaxPooling1d({}),
          L.thresholdedReLU({ theta: 0.1 }),
          tf.layers.rescaling({ scale: 0.5, offset: 0.25 }),
        ],
      ),
  },
  {
    name: 'VAE-like encoder with two outputs (mean, log-variance)',
    build: () => {
      const input = tf.input({ shape: [10] });
      const hidden = L.dense({ units: 8, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
      const mean = L.dense({ units: 3, name: 'z_mean' }).apply(hidden) as tf.SymbolicTensor;
      const logVar = L.dense({ units: 3, name: 'z_log_var' }).apply(hidden) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: [mean, logVar] });
    },
  },
  {
    name: 'merge layers, Permute and a nested model',
    build: () => {
      const inner = tf.sequential({ layers: [L.dense({ inputShape: [4], units: 4, activation: 'tanh' })] });
      const input = tf.input({ shape: [3, 4] });
      const a = L.timeDistributed({ layer: L.dense({ units: 4 }) }).apply(input) as tf.SymbolicTensor;
      const b = L.permute({ dims: [2, 1] }).apply(L.permute({ dims: [2, 1] }).apply(input)) as tf.SymbolicTensor;
      const merged = [L.add(), L.multiply(), L.average(), L.maximum(), L.minimum()].map((layer) => layer.apply([a, b]) as tf.SymbolicTensor);
      const concatenated = L.concatenate({ axis: 1 }).apply(merged) as tf.SymbolicTensor;
      const flat = L.flatten().apply(concatenated) as tf.SymbolicTensor;
      const squeezed = L.dense({ units: 4 }).apply(flat) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: inner.apply(squeezed) as tf.SymbolicTensor });
    },
  },
  {
    name: 'two inputs, concatenation of feature maps in channels-first layout',
    build: () => {
      const x = tf.input({ shape: [4, 4, 2] });
      const y = tf.input({ shape: [4, 4, 3] });
      const cx = L.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
      const cy = L.conv2d({ filters: 2, kernelSize: 1 }).apply(y) as tf.SymbolicTensor;
      const joined = L.concatenate().apply([cx, cy]) as tf.SymbolicTensor;
      return tf.model({ inputs: [x, y], outputs: [L.prelu({ sharedAxes: [1, 2] }).apply(joined) as tf.SymbolicTensor, cx] });
    },
  },
];

beforeAll(async () => {
  await useBackend('wasm');
});

describe('ONNX parity with tfjs (max abs diff < 1e-4)', () => {
  for (const { name, build } of CASES) {
    it(name, async () => {
      const model = build();
      const { diffs } = await expectParity(model, { batch: 3 });
      expect(diffs.length).toBe(model.outputs.length);
      model.dispose();
    });
  }

  it('handles any batch size with one model (dynamic batch dimension)', async () => {
    const model = CASES[1].build();
    for (const batch of [1, 5]) await expectParity(model, { batch });
    model.dispose();
  });
});

describe('onnx.checker', () => {
  const python = pythonWithOnnx();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-checker-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  if (!python) {
    console.warn('SKIPPED onnx.checker tests: no python with the onnx module (apt-get install python3-onnx)');
  }
  it.skipIf(!python)('accepts every exported model with full_check=True', async () => {
    const files: string[] = [];
    for (const [i, { build }] of CASES.entries()) {
      const model = build();
      const file = join(dir, `case-${i}.onnx`);
      await writeFile(file, toOnnx(model));
      files.push(file);
      model.dispose();
    }
    expect(runOnnxChecker(python!, files)).toEqual({});
  });
});
