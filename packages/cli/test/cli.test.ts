import { mkdtemp, readFile, readdir, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { defaultMnistDir, IDX_FILES } from '@aekit/data-mnist';
import type { AutoencoderPlugin, PluginCommand } from '@aekit/core';
import { aeWithPlugins, runAe } from './run-ae.js';

const plugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));

const ae = aeWithPlugins(plugin);

const tmp = () => mkdtemp(join(tmpdir(), 'aekit-cli-'));

describe('ae list', () => {
  it('lists the families and commands of plugins', async () => {
    const { code, out } = await ae('list');
    expect(code).toBe(0);
    // models-conv, models-dense, models-seq and export-onnx are dev dependencies here (for the image-folder, defaults, series and preprocessing tests), so their families and commands are listed too.
    expect(out).toMatch(/families:\n(?:\s+[a-z-]+\s.*\n)*\s+tiny\s+a small dense autoencoder for tests/);
    expect(out).toMatch(/plugin commands:\n(?:\s+(?:classify|export|infer|serve)\s.*\n)*\s+hello\s+greets/);
  });
});

describe('ae train and ae eval', () => {
  it('trains on real MNIST and writes a complete run directory', async () => {
    const dir = join(await tmp(), 'run');
    const { code, out, err } = await ae('train', 'tiny', '--epochs', '10', '--batch-size', '32', '--learning-rate', '0.01', '--limit', '1000', '--test-limit', '300', '--backend', 'wasm', '--out', dir, '--code-points', '200');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/test loss \d\.\d+ \(bce \d\.\d+\) on 300 examples/);
    expect(out).toContain('tiny report ran');

    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['baselines.json', 'checkpoint', 'codes.png', 'loss.png', 'metrics.json', 'model', 'reconstructions.png']);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
    for (const field of ['family', 'config', 'backend', 'epochs', 'history', 'testLoss', 'seconds', 'samplesPerSecond']) {
      expect(metrics).toHaveProperty(field);
    }
    expect(metrics.family).toBe('tiny');
    expect(metrics.backend).toBe('wasm');
    expect(metrics.epochs).toBe(10);
    expect(metrics.trainingSamples).toBe(900);
    expect(metrics.validationSamples).toBe(100);
    expect(metrics.tinyReport).toBe(true);
    expect(metrics.history[9].loss).toBeLessThan(metrics.history[0].loss);
    // Epochs count from 1 in metrics.json, as the log prints them: bestEpoch is the log's epoch of the lowest validation loss.
    const history: { epoch: number; valLoss: number }[] = metrics.history;
    expect(history.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const lowest = history.reduce((best, r) => (r.valLoss < best.valLoss ? r : best));
    expect(metrics.bestEpoch).toBe(lowest.epoch);
    const logged = new RegExp(`^epoch ${metrics.bestEpoch}/10 loss \\S+ val_loss (\\S+)`, 'm').exec(out);
    expect(Number(logged?.[1]) / lowest.valLoss).toBeCloseTo(1, 3);
    // Untrained BCE is about 0.69; predicting the mean digit gives about 0.26.
    expect(metrics.testLoss).toBeLessThan(0.22);

    // Ten digits: originals, the 8-value code as 2x4 pictures, reconstructions.
    const png = PNG.sync.read(await readFile(join(dir, 'reconstructions.png')));
    expect(png.width).toBeGreaterThan(10 * 84);
    expect(png.height).toBeGreaterThan(2 * 84);

    const evaluated = await ae('eval', dir, '--test-limit', '300', '--backend', 'wasm');
    expect(evaluated.code).toBe(0);
    const reported = Number(/test loss (\d\.\d+)/.exec(evaluated.out)![1]);
    expect(reported).toBeCloseTo(metrics.testLoss, 3);
    const evalFile = JSON.parse(await readFile(join(dir, 'eval.json'), 'utf8'));
    expect(evalFile.samples).toBe(300);
    // The run's baselines beside the loss, on the same 300 digits (the same figures as training's, which scored these 300).
    const baselines = /baselines \(bce\): training mean (\d\.\d+), PCA with 8 components (\d\.\d+)/.exec(evaluated.out);
    expect(baselines, evaluated.out).not.toBeNull();
    expect(Number(baselines![1])).toBeCloseTo(metrics.baselines.mean, 3);
    expect(Number(baselines![2])).toBeCloseTo(metrics.baselines.pca.loss, 3);
    expect(evalFile.baselines).toMatchObject({ term: 'bce', pca: { components: 8 } });
  });

  it('draws noisy input, output and clean target for denoising runs', async () => {
    const dir = join(await tmp(), 'noisy');
    const { code } = await ae('train', 'tiny', '--epochs', '1', '--limit', '200', '--test-limit', '100', '--noise', 'gaussian:0.5', '--out', dir, '--code-points', '100', '--config', '{"latentDim": 6}');
    expect(code).toBe(0);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics.noise).toEqual({ type: 'gaussian', factor: 0.5 });
    expect(metrics.config.latentDim).toBe(6);
    const png = PNG.sync.read(await readFile(join(dir, 'reconstructions.png')));
    // Three rows of 84-pixel digits (no code row: a 6-value code has no picture shape here).
    expect(png.height).toBe(28 + 3 * (84 + 4) + 4);
  });
});

describe('ae train --workers', () => {
  it('splits each batch over worker threads and learns the same as one thread', async () => {
    const base = await tmp();
    const args = ['tiny', '--epochs', '2', '--batch-size', '64', '--learning-rate', '0.01', '--limit', '640', '--test-limit', '100', '--backend', 'wasm', '--code-points', '50'];
    const one = await ae('train', ...args, '--workers', '1', '--out', join(base, 'one'));
    const two = await ae('train', ...args, '--workers', '2', '--out', join(base, 'two'));
    expect(one.code).toBe(0);
    expect(one.out).not.toContain('threads');
    expect(two.err).toBe('');
    expect(two.code).toBe(0);
    expect(two.out).toContain('on 2 threads');
    const read = async (run: string) => JSON.parse(await readFile(join(base, run, 'metrics.json'), 'utf8'));
    const [a, b] = [await read('one'), await read('two')];
    expect([a.workers, b.workers]).toEqual([1, 2]);
    // The mean of the halves' gradients is the batch's gradient: the same training, up to rounding.
    expect(b.history[1].loss).toBeLessThan(b.history[0].loss);
    for (const epoch of [0, 1]) expect(Math.abs(b.history[epoch].loss - a.history[epoch].loss)).toBeLessThan(1e-4);
    expect(Math.abs(b.testLoss - a.testLoss)).toBeLessThan(1e-4);
  });

  it("gives the worker threads aekit's wasm kernels too (the backend has no Conv2DBackpropFilter of its own)", async () => {
    const dir = join(await tmp(), 'conv');
    const run = await ae('train', 'conv', '--epochs', '1', '--batch-size', '64', '--limit', '128', '--test-limit', '50', '--validation-split', '0', '--backend', 'wasm', '--workers', '2', '--code-points', '20', '--out', dir);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('on 2 threads');
  });
});

describe('default worker threads of ae train', () => {
  it("follow the family's training.workers, else one per core with at least 32 examples each", async () => {
    const { FamilyRegistry } = await import('@aekit/core');
    const { defaultWorkers } = await import('../src/commands/train.js');
    const { availableParallelism } = await import('node:os');
    const fixture = new URL('./fixtures/tiny-plugin/index.js', import.meta.url).href;
    const { plugin: tiny } = (await import(fixture)) as { plugin: AutoencoderPlugin };
    const [family] = tiny.families;
    const single = { ...family!, name: 'tiny-single', training: { workers: 1 } };
    const plugins = new FamilyRegistry();
    plugins.use({ ...tiny, families: [family!, single], datasets: [], commands: [] });
    plugins.use({ name: 'no-module', families: [{ ...family!, name: 'tiny-no-module' }] });
    const cores = availableParallelism();
    expect(defaultWorkers(single, 4096, plugins)).toBe(1);
    expect(defaultWorkers(family!, 4096, plugins)).toBe(cores);
    expect(defaultWorkers(family!, 63, plugins)).toBe(1);
    expect(defaultWorkers(family!, 64, plugins)).toBe(Math.min(cores, 2));
    expect(defaultWorkers(plugins.get('tiny-no-module'), 4096, plugins)).toBe(1);
  });
});

describe('fit on worker threads (built core)', () => {
  it('names the workers option when a worker cannot build the model', async () => {
    const { ArrayDataset, FamilyRegistry, fit } = await import('@aekit/core');
    const fixture = new URL('./fixtures/tiny-plugin/index.js', import.meta.url).href;
    const { plugin: tiny } = (await import(fixture)) as { plugin: AutoencoderPlugin };
    const registry = new FamilyRegistry();
    registry.use({ ...tiny, name: 'misdirected', module: new URL('./fixtures/no-plugin.js', import.meta.url).href });
    const ae = registry.create('tiny', {}, { seed: 0, dataShape: [16] });
    const data = new ArrayDataset(new Float32Array(64 * 16).fill(0.5), [16]);
    await expect(fit(ae, data, { epochs: 1, batchSize: 32, workers: 2, registry })).rejects.toThrow(
      /workers: a gradient worker failed to start: module .*no-plugin\.js exports no 'plugin'/,
    );
    ae.dispose();
  });
});

describe('errors are one line and a non-zero exit', () => {
  it('unknown family, bad flag values, unknown settings', async () => {
    const unknown = await ae('train', 'nope');
    expect(unknown).toMatchObject({ code: 1, err: "ae: unknown family 'nope'; registered families: contractive, conv, conv-denoise, deep, dense, lstm, sparse, tiny" });
    const badFlag = await ae('train', 'tiny', '--epochs', '-2');
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toMatch(/option '--epochs <n>' argument '-2' is invalid. expected an integer ≥ 1/);
    const badNoise = await ae('train', 'tiny', '--noise', 'blur:3');
    expect(badNoise.err).toMatch(/unknown noise type 'blur'/);
    const badConfig = await ae('train', 'tiny', '--config', '{"latentDim": -1}', '--out', join(await tmp(), 'x'));
    expect(badConfig).toMatchObject({ code: 1 });
    expect(badConfig.err).toMatch(/^ae: tiny\.latentDim: .*got -1$/);
    const unknownSetting = await ae('train', 'tiny', '--config', '{"lamda": 1}', '--out', join(await tmp(), 'x'));
    expect(unknownSetting.err).toBe("ae: config.lamda: family 'tiny' has no setting 'lamda'; its settings are: latentDim, nanAfterSteps");
  });

  it('missing or corrupt data files are named', async () => {
    // A folder with the idx training images is read as idx files, and a missing one of the others is named.
    const partial = await tmp();
    await copyFile(join(defaultMnistDir(), IDX_FILES.trainImages), join(partial, IDX_FILES.trainImages));
    const missing = await ae('train', 'tiny', '--data', partial, '--out', join(partial, 'run'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^ae: .*-idx\d-ubyte: no such file$/);

    const broken = await tmp();
    for (const name of Object.values(IDX_FILES)) await copyFile(join(defaultMnistDir(), name), join(broken, name));
    const bytes = await readFile(join(broken, IDX_FILES.testImages));
    await writeFile(join(broken, IDX_FILES.testImages), bytes.subarray(0, bytes.length - 100));
    const corrupt = await ae('train', 'tiny', '--data', broken, '--out', join(broken, 'run'));
    expect(corrupt.code).toBe(1);
    expect(corrupt.err).toMatch(/t10k-images-idx3-ubyte: is truncated: 7839916 bytes, the header \[10000,28,28\] needs 7840016$/);
  });

  it('an unwritable output directory and a missing plugin', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'file'), 'not a directory');
    const unwritable = await ae('train', 'tiny', '--out', join(dir, 'file', 'run'));
    expect(unwritable.code).toBe(1);
    expect(unwritable.err).toMatch(/^ae: .*file\/run: cannot be used as a folder \(ENOTDIR\)$/);
    // Through runAe: a bare runCli would load every plugin of the workspace into this process's registry.
    const noPlugin = await runAe(['--plugin', './no-such-plugin', 'list']);
    expect(noPlugin.code).toBe(1);
    expect(noPlugin.err).toMatch(/plugin '.\/no-such-plugin' not found/);
    await mkdir(join(dir, 'eval-me'));
    const evalMissing = await ae('eval', join(dir, 'eval-me'));
    expect(evalMissing.code).toBe(1);
    expect(evalMissing.err).toMatch(/eval-me\/model\/model\.json: cannot read the model \(ENOENT\)$/);
  });
});

describe('datasets from plugins', () => {
  it('trains on a dataset a plugin provides and names unknown ones', async () => {
    const dir = join(await tmp(), 'stripes');
    const { code, err } = await ae('train', 'tiny', '--dataset', 'stripes', '--epochs', '2', '--limit', '128', '--out', dir, '--code-points', '50');
    expect(err).toBe('');
    expect(code).toBe(0);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ dataset: 'stripes', data: 'generated', testSamples: 64 });
    const unknown = await ae('train', 'tiny', '--dataset', 'cifar', '--out', join(await tmp(), 'x'));
    expect(unknown.err).toBe("ae: unknown dataset 'cifar'; registered datasets: mnist, stripes (the ae tool supplies mnist)");
  });
});

describe('plugin commands', () => {
  it('run with their arguments, options and the selected backend', async () => {
    const { code, out } = await ae('hello', 'world', '--loud', '--backend', 'cpu');
    expect(code).toBe(0);
    expect(out).toBe('HELLO world on cpu');
  });

  it('refuse options listed the old way (commander strings) in one line saying how to declare them', async () => {
    const { Command } = await import('commander');
    const { addPluginCommand } = await import('../src/commands/plugin-command.js');
    const old = { name: 'old', description: 'x', options: [{ flags: '--loud', description: 'shout' }], run: async () => {} } as unknown as PluginCommand;
    expect(() => addPluginCommand(new Command(), old, () => {})).toThrow(
      "plugin command 'old' lists its options the old way; declare them with commandOptions({ key: option(schema, { help }) }) from @aekit/core",
    );
  });
});
