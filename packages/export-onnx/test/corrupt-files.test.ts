import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFileError, tf, useBackend } from '@aekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKSUM_KEY, OnnxModel, signModelBytes, toOnnx } from '../src/index.js';
import { decodeModel, encodeModel } from '../src/onnx/proto.js';

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

  it("keeps external data inside the model's folder: a file beside it loads, a path out, a FIFO or a short file is refused", async () => {
    const input = tf.input({ shape: [16] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 4 }).apply(input) as tf.SymbolicTensor });
    const dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-external-'));
    const modelDir = join(dir, 'model');
    await mkdir(modelDir);
    const inline = join(modelDir, 'inline.onnx');
    await writeFile(inline, toOnnx(model));
    const x = new Float32Array(16).map((_, i) => i / 16);
    const reference = await OnnxModel.load(inline);
    const expected = Array.from((await reference.run(x, 1))[reference.outputs[0].name].data);
    await reference.close();

    // The largest initializer (the kernel) moved to a file, as ONNX's external data keeps it.
    // `data`: what to write at the location (the kernel's bytes by default; nothing for a path that is already there or outside).
    const withExternal = async (name: string, location: string, data: Buffer | 'kernel' | 'none' = 'kernel') => {
      const proto = decodeModel(toOnnx(model));
      const kernel = proto.graph!.initializer!.reduce((a, b) => ((a.rawData?.length ?? 0) >= (b.rawData?.length ?? 0) ? a : b));
      const raw = Buffer.from(kernel.rawData!);
      if (data !== 'none') await writeFile(join(modelDir, location), data === 'kernel' ? raw : data);
      kernel.rawData = new Uint8Array(0);
      kernel.dataLocation = 1;
      kernel.externalData = [
        { key: 'location', value: location },
        { key: 'offset', value: '0' },
        { key: 'length', value: String(raw.length) },
      ];
      // Signed again, as ae export would sign the edited model: the checksum is not what these cases test.
      proto.metadataProps = proto.metadataProps.filter((p) => p.key !== CHECKSUM_KEY);
      const file = join(modelDir, name);
      await writeFile(file, signModelBytes(encodeModel(proto)));
      return file;
    };

    const beside = await OnnxModel.load(await withExternal('beside.onnx', 'kernel.data'));
    expect(Array.from((await beside.run(x, 1))[beside.outputs[0].name].data)).toEqual(expected);
    await beside.close();

    await writeFile(join(dir, 'outside.data'), Buffer.alloc(256));
    await expect(OnnxModel.load(await withExternal('out.onnx', '../outside.data', 'none'))).rejects.toThrow(/out\.onnx: external data of tensor '.*' "\.\.\/outside\.data" leaves the folder/);
    await expect(OnnxModel.load(await withExternal('abs.onnx', join(dir, 'outside.data'), 'none'))).rejects.toThrow(/abs\.onnx: external data of tensor .* is absolute/);
    execFileSync('mkfifo', [join(modelDir, 'pipe.data')]);
    await expect(OnnxModel.load(await withExternal('pipe.onnx', 'pipe.data', 'none'))).rejects.toThrow(/pipe\.onnx: external data of tensor .* "pipe\.data" is a FIFO \(named pipe\), not a regular file/);
    await expect(OnnxModel.load(await withExternal('short.onnx', 'short.data', Buffer.alloc(8)))).rejects.toThrow(/short\.onnx: external data of tensor .* "short\.data" is 8 bytes; the model reads up to byte 0 \+ 256/);
  });
});
