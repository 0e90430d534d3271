import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AeError } from '@aekit/core';
import { familyNameOf, importOptional, isInstalled, renderPluginTemplate, withOptionTables } from '../src/index.js';
import { runAe } from './run-ae.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const tinyPlugin = fileURLToPath(new URL('./fixtures/tiny-plugin', import.meta.url));

const ae = runAe;

// The cli's dev dependencies include @aekit/models-conv and @aekit/models-dense (for the image-folder and defaults tests), so `ae` run here finds their families too.
describe('an aekit family that is not installed', () => {
  it('names the package that provides it and the install command, in one line', async () => {
    const { code, err } = await ae(['--plugin', tinyPlugin, 'train', 'vae', '--out', join(await mkdtemp(join(tmpdir(), 'aekit-')), 'run')]);
    expect(code).toBe(1);
    expect(err).toBe("ae: family 'vae' comes with @aekit/models-vae, which is not installed: npm install @aekit/models-vae (families installed: contractive, conv, conv-denoise, deep, dense, lstm, sparse, tiny)");
  });

  it('keeps the list of registered families for a name that is not aekit’s', async () => {
    const { code, err } = await ae(['--plugin', tinyPlugin, 'train', 'nonesuch']);
    expect(code).toBe(1);
    expect(err).toBe("ae: unknown family 'nonesuch'; registered families: contractive, conv, conv-denoise, deep, dense, lstm, sparse, tiny");
  });
});

describe('an aekit command whose plugin is not installed', () => {
  it('names the package that adds it', async () => {
    const { code, err } = await ae(['--plugin', tinyPlugin, 'vae-sample', 'runs/vae']);
    expect(code).toBe(1);
    expect(err).toBe("ae: command 'vae-sample' comes with @aekit/models-vae, which is not installed: npm install @aekit/models-vae");
  });

  it('leaves other unknown commands to the usage error', async () => {
    const { code, err } = await ae(['--plugin', tinyPlugin, 'nonesuch']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command 'nonesuch'/);
  });
});

describe('optional packages', () => {
  it('say which package to install when missing', async () => {
    const name = '@aekit/not-installed-anywhere';
    await expect(importOptional(name, () => import(name), 'to use it')).rejects.toThrow(
      new AeError('missing-package', `install ${name} to use it: npm install ${name}`),
    );
  });

  it('are found without being loaded where installed', () => {
    expect(isInstalled('@aekit/data-mnist')).toBe(true);
    expect(isInstalled('@aekit/not-installed-anywhere')).toBe(false);
  });

  it('pass on other errors of a package that is there', async () => {
    const boom = new Error('boom');
    await expect(importOptional('@aekit/viz', () => Promise.reject(boom), 'to draw')).rejects.toBe(boom);
  });
});

describe('family packages', () => {
  // models-documents is built around data-documents' page generator and image files (its dataset, tiling and commands); not yet split.
  const exceptions: Record<string, string[]> = { 'models-documents': ['@aekit/data-documents'] };
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

  it('import no data package and depend on none: data reaches them through dataset providers', () => {
    const families = readdirSync(join(repo, 'packages')).filter((name) => name.startsWith('models-'));
    expect(families.length).toBeGreaterThan(3);
    for (const name of families) {
      const allowed = exceptions[name] ?? [];
      const manifest = JSON.parse(readFileSync(join(repo, 'packages', name, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      const runtime = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})];
      expect(runtime.filter((dep) => dep.startsWith('@aekit/data-') && !allowed.includes(dep)), `${name}/package.json`).toEqual([]);
      for (const file of sources(join(repo, 'packages', name, 'src'))) {
        // Code lines only: a TSDoc example may show how a user loads data.
        const code = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join('\n');
        const imports = [...code.matchAll(/(?:from |import\()'(@aekit\/data-[\w-]+)/g)].map((m) => m[1]);
        expect(imports.filter((dep) => !allowed.includes(dep)), relative(repo, file)).toEqual([]);
      }
    }
  });
});

describe('the README option table', () => {
  it('is the one generated from the train command (node scripts/option-tables.mjs)', async () => {
    const readme = await readFile(join(repo, 'README.md'), 'utf8');
    expect(withOptionTables(readme)).toBe(readme);
    for (const flag of ['--dataset', '--code-points', '--checkpoint-every', '--resume', '--data']) expect(readme).toContain(`\`${flag} `);
  });
});

describe('the generated files of the repository', () => {
  // Each script rewrites its files without --check; with it, it exits non-zero when they are stale.
  it.each(['option-tables.mjs', 'plugin-template.mjs', 'package-metadata.mjs', 'speed-summary.mjs', 'defaults-section.mjs'])('are up to date: node scripts/%s --check', (script) => {
    expect(() => execFileSync(process.execPath, [join(repo, 'scripts', script), '--check'], { cwd: repo, stdio: 'pipe' })).not.toThrow();
  });
});

describe('the speed section (scripts/speed-summary.mjs)', () => {
  /** A results file of two families: aekit 1.5 times PyTorch on one, half as fast on the other. */
  const report = (pytorch: object) => ({
    date: '2026-01-02',
    command: 'pnpm bench',
    machine: { cores: 2, cpu: 'a CPU', node: 'v20' },
    samples: 60000,
    batchSize: 256,
    rounds: 3,
    threads: 2,
    backends: [{ name: 'wasm', workers: [1, 2] }],
    pytorch,
    families: ['fast', 'slow'].map((family, i) => ({
      family,
      bestAekit: 'a',
      bestPytorch: 'p',
      ratio: i === 0 ? 1.5 : 0.5,
      configurations: [
        { key: 'a', kind: 'aekit', backend: 'wasm', workers: 2, median: { samplesPerSecond: i === 0 ? 3000 : 500, testLoss: 0.1 } },
        { key: 'p', kind: 'pytorch', blasThreads: 2, torchThreads: 1, median: { samplesPerSecond: i === 0 ? 2000 : 1000, testLoss: i === 0 ? 0.2 : 0.05 } },
      ],
    })),
  });

  it('says where aekit is faster and where slower, and on which side the loss is lower, from the figures', async () => {
    // @ts-expect-error -- a plain ES module script without types
    const { renderSpeedSection } = await import('../../../scripts/speed-summary.mjs');
    const text: string = renderSpeedSection(report({ setup: { torch: '1.13', blas: { name: 'OpenBLAS 0.3.21 Zen' } } }), 'the results');
    expect(text).toContain('| fast | 3,000 (2 threads) | 2,000 (OpenBLAS 2, torch 1) | 1.50x | 0.1000 | 0.2000 |');
    expect(text).toContain('aekit was at least as fast as PyTorch on fast (1.50x) and slower on slow (0.50x)');
    expect(text).toContain("aekit's test loss was lower or equal on fast and higher on slow");
    expect(text).toContain('PyTorch 1.13 on OpenBLAS 0.3.21');
    const refused: string = renderSpeedSection(report({ reason: 'its BLAS is the reference BLAS' }), 'the results');
    expect(refused).toContain('and no PyTorch: its BLAS is the reference BLAS.');
    expect(refused).not.toContain('| fast |');
  });
});

describe('ae new-plugin', () => {
  it('writes a plugin package into an empty directory', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'aekit-new-'));
    const { code, out, err } = await ae(['new-plugin', '@me/aekit-plugin-wide'], parent);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/wrote @me\/aekit-plugin-wide \(\d+ files\)/);
    const dir = join(parent, 'aekit-plugin-wide');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@me/aekit-plugin-wide');
    expect(manifest.private).toBeUndefined();
    expect(manifest.keywords).toContain('aekit-plugin');
    expect(manifest.peerDependencies['@aekit/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(Object.values(manifest.devDependencies).every((range) => /^\^?\d+\.\d+\.\d+$/.test(String(range)))).toBe(true);
    const tsconfig = JSON.parse(await readFile(join(dir, 'tsconfig.build.json'), 'utf8'));
    expect(tsconfig.extends).toBeUndefined();
    expect(tsconfig.compilerOptions.skipLibCheck).toBe(true);
    expect(await readFile(join(dir, 'src', 'family.ts'), 'utf8')).toContain("name: 'wide',");
    expect(existsSync(join(dir, '.gitignore'))).toBe(true);
    const all = files(dir).map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    expect(all).not.toMatch(/\{\{\w+\}\}|\.\.\/\.\.\/|workspace:/);
  });

  it('refuses a directory that has files, a path that is no folder, and bad names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-new-'));
    await writeFile(join(dir, 'keep.txt'), 'mine');
    expect((await ae(['new-plugin', 'aekit-x', '--dir', dir])).err).toMatch(/^ae: dir: .* is not empty/);
    // The reliability trials found these three ending in "unexpected error" (ENOTDIR).
    await symlink(join(dir, 'keep.txt'), join(dir, 'link'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const target of ['keep.txt', 'link', 'fifo']) {
      const { code, err } = await ae(['new-plugin', 'aekit-x', '--dir', join(dir, target)]);
      expect([code, err]).toEqual([1, `ae: dir: ${join(dir, target)} exists and is not a folder; give a new directory with --dir`]);
    }
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
    expect((await ae(['new-plugin', 'Bad Name', '--dir', join(dir, 'y')])).err).toMatch(/^ae: name: 'Bad Name' is not a valid npm package name/);
    expect((await ae(['new-plugin', 'aekit-x', '--family', 'X!', '--dir', join(dir, 'z')])).err).toMatch(/^ae: family: 'X!'/);
  });

  it('derives the family from the package name', () => {
    expect(familyNameOf('aekit-plugin-tied')).toBe('tied');
    expect(familyNameOf('@me/aekit-wide')).toBe('wide');
    expect(familyNameOf('wide-aekit-plugin')).toBe('wide');
    expect(familyNameOf('my-family')).toBe('my-family');
  });

  it('is what examples/plugin-template holds (node scripts/plugin-template.mjs)', () => {
    const version = (pkg: string) => JSON.parse(readFileSync(join(repo, 'packages', pkg, 'package.json'), 'utf8')).version;
    const rendered = renderPluginTemplate({ name: '@aekit/plugin-template', family: 'tied', coreVersion: version('core'), cliVersion: version('cli'), private: true });
    const example = join(repo, 'examples', 'plugin-template');
    expect(files(example).sort()).toEqual([...rendered.keys()].sort());
    for (const [path, text] of rendered) expect(readFileSync(join(example, path), 'utf8'), path).toBe(text);
  });

  it('uses the same versions of TypeScript, vitest and Node types as this repository', () => {
    const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    const template = JSON.parse(renderPluginTemplate({ name: 'x', coreVersion: '1.0.0', cliVersion: '1.0.0' }).get('package.json')!);
    for (const tool of ['typescript', 'vitest', '@types/node']) expect(template.devDependencies[tool], tool).toBe(root.devDependencies[tool]);
    expect(template.engines).toEqual(root.engines);
  });
});

function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    if (['node_modules', 'dist', '.turbo', '.vitest-report.json'].includes(entry)) return [];
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? files(path, base) : [relative(base, path).split('\\').join('/')];
  });
}
