import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AeError, tf, useBackend } from '@aekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convertLayersModel, decodeModel, encodeModel, supportedLayers, toOnnx, UnsupportedLayerError, type OnnxTypes } from '../src/index.js';
import { pythonWithOnnx, runOnnxChecker } from './helpers.js';

const L = tf.layers;

/** A layer tfjs knows nothing about: the kind a VAE's sampling step would be. */
class Sampling extends tf.layers.Layer {
  static className = 'Sampling';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }
  override getClassName(): string {
    return 'Sampling';
  }
}

function convAutoencoder(): tf.LayersModel {
  return tf.sequential({
    layers: [
      L.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.upSampling2d({ size: [2, 2] }),
      L.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ],
  });
}

/** The decoded graph; decoding fills every repeated field, which the interface types leave optional. */
function graphOf(bytes: Uint8Array): OnnxTypes.GraphProto {
  return decodeModel(bytes).graph as OnnxTypes.GraphProto;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('unsupported layers', () => {
  it('names the layer and its type for an unknown layer class', () => {
    const input = tf.input({ shape: [4] });
    const mean = L.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
    const sampled = new Sampling({ name: 'z_sample' }).apply(mean) as tf.SymbolicTensor;
    const error = thrown(() => convertLayersModel(tf.model({ inputs: input, outputs: sampled })));
    expect(error).toBeInstanceOf(UnsupportedLayerError);
    expect(error).toBeInstanceOf(AeError);
    expect(error.message).toBe("cannot convert layer 'z_sample' (Sampling) to ONNX: no converter for layers of type Sampling");
    expect((error as UnsupportedLayerError).layerName).toBe('z_sample');
    expect((error as UnsupportedLayerError).className).toBe('Sampling');
  });

  it('refuses settings it cannot translate exactly instead of writing a different model', () => {
    const cases: [tf.layers.Layer, number[], RegExp][] = [
      [L.masking({ name: 'mask' }), [3, 2], /'mask' \(Masking\).*no converter/],
      [L.lstm({ units: 2, stateful: true, batchInputShape: [1, 3, 2], name: 'stateful_lstm' }), [3, 2], /'stateful_lstm' \(LSTM\).*stateful/],
      [L.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'nchw' }), [2, 5, 5], /'nchw' \(Conv2D\).*channelsFirst/],
      [L.softmax({ axis: [1, 2] as never, name: 'multi_softmax' }), [3, 2], /'multi_softmax' \(Softmax\).*several axes/],
    ];
    for (const [layer, shape, message] of cases) {
      const error = thrown(() => {
        const input = layer.getConfig().batchInputShape ? tf.input({ batchShape: [1, ...shape] }) : tf.input({ shape });
        convertLayersModel(tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor }));
      });
      expect(error.message).toMatch(message);
    }
  });

  it('takes converters for custom layers', () => {
    const input = tf.input({ shape: [4] });
    const sampled = new Sampling({ name: 'z_sample' }).apply(L.dense({ units: 2 }).apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: sampled });
    // At inference the sampling layer passes its input (the mean) through.
    const proto = convertLayersModel(model, { converters: { Sampling: (call) => [call.inputs[0]] } });
    expect((proto.graph!.node ?? []).map((n) => n.opType)).toEqual(['Gemm', 'Identity']);
  });

  it('lists the layer classes it converts', () => {
    expect(supportedLayers()).toEqual(expect.arrayContaining(['Dense', 'Conv2D', 'Conv2DTranspose', 'UpSampling2D', 'LSTM', 'Bidirectional', 'TimeDistributed', 'RepeatVector']));
    expect(supportedLayers()).not.toContain('Masking');
  });
});

describe('model structure', () => {
  it('writes IR 8, opset 17, named inputs and outputs with a dynamic batch, and metadata', () => {
    const model = convAutoencoder();
    const proto = decodeModel(toOnnx(model, { inputNames: ['image'], outputNames: ['reconstruction'], metadata: { 'aekit.family': 'conv' } }));
    expect(Number(proto.irVersion)).toBe(8);
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(proto.producerName).toBe('@aekit/export-onnx');
    const graph = proto.graph as OnnxTypes.GraphProto;
    expect(graph.input.map((i) => i.name)).toEqual(['image']);
    expect(graph.output.map((o) => o.name)).toEqual(['reconstruction']);
    const dims = (graph.input[0].type!.tensorType!.shape!.dim as OnnxTypes.TensorShapeProto.Dimension[]).map((d) =>
      d.value === 'dimParam' ? d.dimParam : Number(d.dimValue),
    );
    expect(dims).toEqual(['batch', 8, 8, 1]);
    // The checksum entry comes last: the SHA-256 of every byte before it.
    expect(proto.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['aekit.family', 'conv'],
      ['aekit.sha256', expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
  });

  it('transposes to channels-first once on the way in and once on the way out of a convolutional run', () => {
    const model = tf.sequential({
      layers: [
        L.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        L.maxPooling2d({ poolSize: 2 }),
        L.upSampling2d({ size: [2, 2] }),
        L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
      ],
    });
    const ops = graphOf(toOnnx(model)).node.map((n) => n.opType);
    expect(ops).toEqual(['Transpose', 'Conv', 'Relu', 'MaxPool', 'Resize', 'Conv', 'Sigmoid', 'Transpose', 'Identity']);
  });

  it('reshapes instead of transposing a single channel, and sums a per-channel Conv for a one-channel output', () => {
    const ops = graphOf(toOnnx(convAutoencoder())).node.map((n) => n.opType);
    expect(ops).toEqual(['Reshape', 'Conv', 'Relu', 'MaxPool', 'Resize', 'Conv', 'ReduceSum', 'Add', 'Sigmoid', 'Reshape', 'Identity']);
  });

  it('maps up-sampling to Resize with asymmetric coordinates (tfjs: no align corners, no half-pixel centres)', () => {
    const model = tf.sequential({ layers: [L.upSampling2d({ inputShape: [2, 2, 1], size: [3, 3], interpolation: 'nearest' }), L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' })] });
    const resizes = graphOf(toOnnx(model)).node.filter((n) => n.opType === 'Resize');
    const attributes = resizes.map((n) => Object.fromEntries((n.attribute ?? []).map((a) => [a.name, new TextDecoder().decode(a.s as Uint8Array)])));
    expect(attributes).toEqual([
      { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' },
      { mode: 'linear', coordinate_transformation_mode: 'asymmetric' },
    ]);
  });

  it('stores weights as float32 initializers and round-trips through protobuf, checksum entry included', () => {
    const model = tf.sequential({ layers: [L.dense({ inputShape: [3], units: 2 })] });
    const bytes = toOnnx(model);
    const proto = decodeModel(bytes);
    const kernel = (proto.graph as OnnxTypes.GraphProto).initializer.find((t) => t.name?.endsWith('/kernel'))!;
    expect(kernel.dims!.map(Number)).toEqual([3, 2]);
    const raw = kernel.rawData!;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const values = Array.from({ length: 6 }, (_, i) => view.getFloat32(i * 4, true));
    expect(values).toEqual(Array.from(model.getWeights()[0].dataSync()));
    expect(Buffer.from(encodeModel(proto)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('the onnx checker test', () => {
  const python = pythonWithOnnx();
  it.skipIf(!python)('fails on a model whose declared output shape is wrong (so it can fail)', async () => {
    const model = tf.sequential({ layers: [L.dense({ inputShape: [4], units: 3 })] });
    const proto = convertLayersModel(model);
    proto.graph!.output![0].type!.tensorType!.shape!.dim![1] = { dimValue: 5 };
    const dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-bad-'));
    try {
      const file = join(dir, 'bad.onnx');
      await writeFile(file, encodeModel(proto));
      expect(runOnnxChecker(python!, [file])[file]).toMatch(/differ/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
