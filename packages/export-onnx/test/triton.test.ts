import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, registry, useBackend, type CommandIO, runPluginCommand } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import protobuf from 'protobufjs';
import textformat from 'protobufjs/ext/textformat.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand, exportTritonRun, meanSquaredErrors, OnnxModel, toConfigPbtxt, type RunOutput } from '../src/index.js';
import { testConvFamily, testVaeFamily } from './fixtures/families.js';
import { pythonWithOnnx, runOnnxChecker } from './helpers.js';

/**
 * Triton's model configuration schema: the fields aekit uses, transcribed
 * in fixtures/, or the whole published model_config.proto when
 * TRITON_MODEL_CONFIG_PROTO names a copy of it.
 */
const SCHEMA = process.env.TRITON_MODEL_CONFIG_PROTO ?? fileURLToPath(new URL('./fixtures/triton/model_config_subset.proto', import.meta.url));
const ModelConfig = protobuf.loadSync(SCHEMA).lookupType('inference.ModelConfig');

interface ParsedTensor {
  name: string;
  dataType: string;
  dims: number[];
}
interface ParsedConfig {
  name: string;
  platform: string;
  maxBatchSize: number;
  input: ParsedTensor[];
  output: ParsedTensor[];
  dynamicBatching?: { maxQueueDelayMicroseconds?: number; defaultQueuePolicy?: { maxQueueSize: number } };
  ensembleScheduling?: { step: { modelName: string; modelVersion: number; inputMap: Record<string, string>; outputMap: Record<string, string> }[] };
}

/** Parses a config.pbtxt as protobuf text format against the schema; unknown fields, wrong types and unknown enum values throw. */
function parseConfig(text: string): ParsedConfig {
  const message = textformat.fromText(ModelConfig, text);
  return ModelConfig.toObject(message, { enums: String, longs: Number, defaults: false }) as ParsedConfig;
}

const DATA_SHAPE = [8, 8, 1];
let dir: string;
const io = (lines: string[]): CommandIO => ({ log: (l: string) => lines.push(l), backend: 'wasm' }) as unknown as CommandIO;

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.map((e) => `${relative(root, join(e.parentPath, e.name))}${e.isDirectory() ? '/' : ''}`).sort();
}

beforeAll(async () => {
  await useBackend('wasm');
  registry.register(testConvFamily);
  registry.register(testVaeFamily);
  dir = await mkdtemp(join(tmpdir(), 'aekit-triton-'));
  for (const [name, family] of [
    ['conv', 'onnx-test-conv'],
    ['vae', 'onnx-test-vae'],
  ] as const) {
    const autoencoder = registry.create(family, {}, { seed: 4, dataShape: DATA_SHAPE });
    await saveAutoencoder(autoencoder, join(dir, 'runs', name, 'model'), DATA_SHAPE);
    autoencoder.dispose();
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ae export --format triton', () => {
  let repo: string;
  const lines: string[] = [];
  beforeAll(async () => {
    repo = join(dir, 'model_repository');
    await runPluginCommand(exportCommand, [join(dir, 'runs', 'conv')], { format: 'triton', out: repo, maxBatch: '32', maxDelayMs: '2', maxQueue: '64' }, io(lines));
  });

  it('writes <model>/config.pbtxt and <model>/1/model.onnx for the full model, encoder and decoder, plus the score ensemble', async () => {
    expect(await filesUnder(repo)).toEqual([
      'conv/',
      'conv/1/',
      'conv/1/model.onnx',
      'conv/config.pbtxt',
      'conv_decoder/',
      'conv_decoder/1/',
      'conv_decoder/1/model.onnx',
      'conv_decoder/config.pbtxt',
      'conv_encoder/',
      'conv_encoder/1/',
      'conv_encoder/1/model.onnx',
      'conv_encoder/config.pbtxt',
      'conv_mse/',
      'conv_mse/1/',
      'conv_mse/1/model.onnx',
      'conv_mse/config.pbtxt',
      'conv_score/',
      'conv_score/1/',
      'conv_score/config.pbtxt',
    ]);
    expect(lines[0]).toMatch(/^full: .*conv\/ \(onnxruntime_onnx, max \|onnx - tfjs\| = /);
    expect(lines.at(-1)).toBe('wrote a Triton model repository of 5 models from conv');
  });

  it('every config.pbtxt parses against model_config.proto, and matches its ONNX file: names, FP32, dims without the batch', async () => {
    for (const name of ['conv', 'conv_encoder', 'conv_decoder', 'conv_mse']) {
      const config = parseConfig(await readFile(join(repo, name, 'config.pbtxt'), 'utf8'));
      expect(config).toMatchObject({ name, platform: 'onnxruntime_onnx', maxBatchSize: 32, dynamicBatching: { maxQueueDelayMicroseconds: 2000, defaultQueuePolicy: { maxQueueSize: 64 } } });
      const model = await OnnxModel.load(join(repo, name, '1', 'model.onnx'));
      try {
        // The ONNX tensors are [batch, ...dims]: Triton adds the batch dimension itself when max_batch_size > 0.
        const expected = (tensors: readonly { name: string; shape: readonly (number | null)[] }[]) =>
          tensors.map((t) => ({ name: t.name, dataType: 'TYPE_FP32', dims: t.shape.slice(1) }));
        expect(model.inputs.every((t) => t.shape[0] === null)).toBe(true);
        expect(config.input).toEqual(expected(model.inputs));
        expect(config.output).toEqual(expected(model.outputs));
      } finally {
        await model.close();
      }
    }
    const full = parseConfig(await readFile(join(repo, 'conv', 'config.pbtxt'), 'utf8'));
    expect(full.input).toEqual([{ name: 'input', dataType: 'TYPE_FP32', dims: DATA_SHAPE }]);
    expect(full.output).toEqual([{ name: 'reconstruction', dataType: 'TYPE_FP32', dims: DATA_SHAPE }]);
  });

  it('the score ensemble chains the full model and the error model; run step by step it gives the mean squared errors', async () => {
    const config = parseConfig(await readFile(join(repo, 'conv_score', 'config.pbtxt'), 'utf8'));
    expect(config).toMatchObject({ name: 'conv_score', platform: 'ensemble', maxBatchSize: 32 });
    expect(config.input).toEqual([{ name: 'input', dataType: 'TYPE_FP32', dims: DATA_SHAPE }]);
    expect(config.output).toEqual([{ name: 'score', dataType: 'TYPE_FP32', dims: [1] }]);
    expect(config.dynamicBatching).toBeUndefined();
    const steps = config.ensembleScheduling!.step;
    expect(steps.map((s) => s.modelName)).toEqual(['conv', 'conv_mse']);
    // Follow the steps as Triton does: tensors by ensemble name, each step's maps translating names.
    const batch = 3;
    const input = Float32Array.from({ length: batch * 64 }, (_, i) => ((i * 7) % 11) / 11);
    const tensors = new Map<string, RunOutput>([['input', { data: input, shape: [batch, ...DATA_SHAPE] }]]);
    for (const step of steps) {
      const model = await OnnxModel.load(join(repo, step.modelName, '1', 'model.onnx'));
      try {
        const stepConfig = parseConfig(await readFile(join(repo, step.modelName, 'config.pbtxt'), 'utf8'));
        expect(Object.keys(step.inputMap).sort()).toEqual(stepConfig.input.map((t) => t.name).sort());
        const feeds = Object.fromEntries(Object.entries(step.inputMap).map(([modelName, ensembleName]) => [modelName, tensors.get(ensembleName)!]));
        const outputs = await model.runFeeds(feeds);
        for (const [modelName, ensembleName] of Object.entries(step.outputMap)) tensors.set(ensembleName, outputs[modelName]);
      } finally {
        await model.close();
      }
    }
    const score = tensors.get('score')!;
    expect(score.shape).toEqual([batch, 1]);
    const full = await OnnxModel.load(join(repo, 'conv', '1', 'model.onnx'));
    const expected = meanSquaredErrors(input, (await full.runFirst(input, batch)).data, batch);
    await full.close();
    Array.from(score.data).forEach((s, i) => expect(s).toBeCloseTo(expected[i], 6));
  });

  it('every ONNX file of the repository passes onnx.checker (full check), the error model included', async (context) => {
    const python = pythonWithOnnx();
    if (!python) return context.skip('no Python with the onnx module (apt-get install python3-onnx)');
    const files = ['conv', 'conv_encoder', 'conv_decoder', 'conv_mse'].map((m) => join(repo, m, '1', 'model.onnx'));
    expect(runOnnxChecker(python, files)).toEqual({});
  });

  it("a VAE's encoder config lists both outputs; the model name defaults to the run directory's", async () => {
    const out = join(dir, 'vae_repository');
    const models = await exportTritonRun(join(dir, 'runs', 'vae', 'model'), { out });
    expect(models.map((m) => m.name)).toEqual(['vae', 'vae_encoder', 'vae_decoder', 'vae_mse', 'vae_score']);
    const encoder = parseConfig(await readFile(join(out, 'vae_encoder', 'config.pbtxt'), 'utf8'));
    expect(encoder.maxBatchSize).toBe(256);
    expect(encoder.output).toEqual([
      { name: 'mean', dataType: 'TYPE_FP32', dims: [2] },
      { name: 'logVar', dataType: 'TYPE_FP32', dims: [2] },
    ]);
  });

  it('the schema check can fail: misspelt fields, unknown enum values and wrong types are rejected', () => {
    const good = toConfigPbtxt({ name: 'm', platform: 'onnxruntime_onnx', maxBatchSize: 4, inputs: [{ name: 'input', dims: [3] }], outputs: [{ name: 'out', dims: [3] }] });
    expect(parseConfig(good).input[0].dims).toEqual([3]);
    expect(() => parseConfig(good.replace('max_batch_size', 'max_batch_sise'))).toThrow(/unknown field 'max_batch_sise'/);
    expect(() => parseConfig(good.replace('TYPE_FP32', 'TYPE_FLOAT32'))).toThrow(/enum/);
    expect(() => parseConfig(good.replace('max_batch_size: 4', 'max_batch_size: "4"'))).toThrow();
  });

  it('answers bad options with one-line errors', async () => {
    await expect(runPluginCommand(exportCommand, [join(dir, 'runs', 'conv')], { format: 'tensorrt' }, io([]))).rejects.toThrow(ConfigError);
    await expect(runPluginCommand(exportCommand, [join(dir, 'runs', 'conv')], { format: 'triton', maxBatch: '0' }, io([]))).rejects.toThrow(/--max-batch/);
    await expect(exportTritonRun(join(dir, 'runs', 'conv'), { name: 'bad/name', out: join(dir, 'x') })).rejects.toThrow(/model name 'bad\/name'/);
  });
});
