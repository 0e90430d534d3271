import { spawnSync } from 'node:child_process';
import { createRng, tf } from '@aekit/core';
import { expect } from 'vitest';
import { OnnxModel, toOnnx, type ConvertOptions } from '../src/index.js';

/** Random inputs for a model in [-1, 1], seeded; one flat array per model input. */
export function randomInputs(model: tf.LayersModel, batch: number, seed = 1): { data: Float32Array; shape: number[] }[] {
  const rng = createRng(seed);
  return model.inputs.map((input) => {
    const shape = [batch, ...(input.shape.slice(1) as number[])];
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng() * 2 - 1);
    return { data, shape };
  });
}

/** The tfjs model's outputs (inference mode) on the given inputs. */
export function tfjsOutputs(model: tf.LayersModel, inputs: { data: Float32Array; shape: number[] }[]): { data: Float32Array; shape: number[] }[] {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape));
    const result = model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(result) ? result : [result]).map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape }));
  });
}

/** Largest absolute difference of two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/**
 * Converts a model, runs it in onnxruntime and tfjs on the same random
 * batch, and expects every output to have the same shape and to agree
 * within `tolerance` (max abs diff). Returns the ONNX bytes and the diffs.
 */
export async function expectParity(
  model: tf.LayersModel,
  options: { batch?: number; tolerance?: number; convert?: ConvertOptions; seed?: number } = {},
): Promise<{ bytes: Uint8Array; diffs: number[] }> {
  const bytes = toOnnx(model, options.convert);
  const onnx = await OnnxModel.load(bytes);
  try {
    const inputs = randomInputs(model, options.batch ?? 3, options.seed);
    const feeds = Object.fromEntries(onnx.inputs.map((info, i) => [info.name, inputs[i]]));
    const ours = await onnx.runFeeds(feeds);
    const theirs = tfjsOutputs(model, inputs);
    expect(onnx.outputs.length).toBe(theirs.length);
    const diffs = onnx.outputs.map((info, i) => {
      expect(ours[info.name].shape, `shape of output ${info.name}`).toEqual(theirs[i].shape);
      return maxAbsDiff(ours[info.name].data, theirs[i].data);
    });
    for (const d of diffs) expect(d).toBeLessThan(options.tolerance ?? 1e-4);
    return { bytes, diffs };
  } finally {
    await onnx.close();
  }
}

/**
 * A Python interpreter that can `import onnx`, or undefined. Debian's
 * python3-onnx lives under /usr/bin/python3, which may not be the
 * `python3` first on PATH (pyenv).
 */
export function pythonWithOnnx(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3', 'python']) {
    const result = spawnSync(candidate, ['-c', 'import onnx'], { stdio: 'ignore' });
    if (result.status === 0) return candidate;
  }
  return undefined;
}

/**
 * Runs `onnx.checker.check_model(model, full_check=True)` on each file in
 * one Python process; returns the failures by file (empty when all pass).
 */
export function runOnnxChecker(python: string, files: string[]): Record<string, string> {
  const script = [
    'import json, sys, onnx',
    'failures = {}',
    'for path in sys.argv[1:]:',
    '    try:',
    '        onnx.checker.check_model(onnx.load(path), full_check=True)',
    '    except Exception as error:',
    '        failures[path] = str(error)',
    'print(json.dumps(failures))',
  ].join('\n');
  const result = spawnSync(python, ['-c', script, ...files], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the onnx checker did not run: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, string>;
}
