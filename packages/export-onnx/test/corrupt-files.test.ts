import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError, tf, useBackend } from '@aekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxModel, toOnnx } from '../src/index.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('corrupt ONNX files', () => {
  it('are reported with the file name, whether truncated, garbled or missing', async () => {
    const input = tf.input({ shape: [16] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 4, activation: 'relu' }).apply(input) as tf.SymbolicTensor });
    const bytes = toOnnx(model);
    const dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-bad-'));

    const whole = join(dir, 'whole.onnx');
    await writeFile(whole, bytes);
    const loaded = await OnnxModel.load(whole);
    expect(loaded.inputs).toHaveLength(1);

    const truncated = join(dir, 'truncated.onnx');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await OnnxModel.load(truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFileError);
    expect((error as Error).message).toContain('truncated.onnx');

    const garbled = join(dir, 'garbled.onnx');
    await writeFile(garbled, Buffer.from('this is not a protobuf at all, just text'));
    await expect(OnnxModel.load(garbled)).rejects.toThrow(/garbled\.onnx: /);
    await expect(OnnxModel.load(join(dir, 'missing.onnx'))).rejects.toThrow(/missing\.onnx: no such file/);
  });
});
