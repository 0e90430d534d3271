import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AeError, createRng, runPluginCommand, tf, useBackend, type CommandIO } from '@aekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertLayersModel, encodeModel, inferCommand, OnnxModel, OnnxModelFile, signModelBytes, toOnnx, verifyModelBytes } from '../src/index.js';

let dir: string;
let signed: Uint8Array;
let foreign: Uint8Array;

/** `bytes` with `count` bytes at seeded random positions changed to other values. */
function corrupt(bytes: Uint8Array, count: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const copy = Uint8Array.from(bytes);
  for (let i = 0; i < count; i++) {
    const at = Math.floor(rng() * copy.length);
    copy[at] = (copy[at] + 1 + Math.floor(rng() * 255)) % 256;
  }
  return copy;
}

beforeAll(async () => {
  await useBackend('cpu');
  const input = tf.input({ shape: [16] });
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 16, activation: 'sigmoid' }).apply(input) as tf.SymbolicTensor });
  signed = toOnnx(model);
  // The same model as another tool would write it: no checksum entry.
  foreign = encodeModel(convertLayersModel(model));
  dir = await mkdtemp(join(tmpdir(), 'aekit-onnx-checksum-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the checksum every ONNX file aekit writes carries', () => {
  it('verifies a file as written, and the same file with any bytes changed never does', () => {
    expect(verifyModelBytes(signed)).toMatchObject({ status: 'verified' });
    expect(verifyModelBytes(foreign)).toEqual({ status: 'unsigned' });
    expect(Buffer.from(signModelBytes(foreign)).equals(Buffer.from(signed))).toBe(true);
    for (let seed = 0; seed < 200; seed++) {
      const count = [1, 5, 50][seed % 3];
      expect(verifyModelBytes(corrupt(signed, count, seed)).status, `seed ${seed}`).not.toBe('verified');
    }
    // Damage inside the checksum entry itself is a mismatch too, not an unsigned file.
    const tail = Uint8Array.from(signed);
    tail[tail.length - 70] ^= 0xff;
    tail[tail.length - 3] ^= 0x01;
    expect(verifyModelBytes(tail).status).toBe('mismatch');
  });

  it('a file with 50 random bytes changed is refused in one line naming it, in 20 trials out of 20', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const file = join(dir, `damaged-${seed}.onnx`);
      await writeFile(file, corrupt(signed, 50, 1000 + seed));
      const error = (await OnnxModel.load(file, { requireChecksum: true }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(AeError);
      expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (its bytes do not match the checksum ae export wrote|has no aekit checksum)`));
      expect(error.message).not.toContain('\n');
    }
  });

  it('ae infer refuses an unsigned file unless --allow-unsigned, and a damaged one always', async () => {
    const items = join(dir, 'items.json');
    await writeFile(items, JSON.stringify([Array(16).fill(0.5)]));
    const unsigned = join(dir, 'foreign.onnx');
    await writeFile(unsigned, foreign);
    const damaged = join(dir, 'damaged.onnx');
    await writeFile(damaged, corrupt(signed, 50, 7));
    const lines: string[] = [];
    const io = { log: (l: string) => lines.push(l), backend: 'cpu' } as unknown as CommandIO;
    await expect(runPluginCommand(inferCommand, [unsigned, items], {}, io)).rejects.toThrow(/foreign\.onnx: has no aekit checksum .*pass --allow-unsigned to use it as it is$/);
    await runPluginCommand(inferCommand, [unsigned, items], { allowUnsigned: true }, io);
    expect(lines.join('\n')).toMatch(/mean reconstruction error \(mse: mean squared error per item, whatever loss the model trained on\) over 1 item: /);
    await expect(runPluginCommand(inferCommand, [damaged, items], { allowUnsigned: true }, io)).rejects.toThrow(/damaged\.onnx: (its bytes do not match|has no aekit checksum)/);
  });

  it('OnnxModelFile.read reads what a file says without onnxruntime, and knows whether it was signed', async () => {
    expect((await OnnxModelFile.read(signed)).signed).toBe(true);
    const file = await OnnxModelFile.read(foreign);
    expect(file.signed).toBe(false);
    expect([file.inputs.length, file.outputs.length, file.itemShape]).toEqual([1, 1, [16]]);
    await expect(OnnxModelFile.read(foreign, { requireChecksum: true })).rejects.toThrow(/has no aekit checksum/);
  });
});
