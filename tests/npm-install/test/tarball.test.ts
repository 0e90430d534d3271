// The README rules of tarballProblems on small made-up packages (no packing):
// each package's README gives its install command, and any command that
// brings onnxruntime-node sets the variable that keeps its install script
// from downloading GPU binaries.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarballProblems } from './tarball.js';

const LICENSE = 'MIT License\n';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aekit-tarball-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** An unpacked package with a README and the given dependencies; returns the README problems tarballProblems finds. */
async function readmeProblems(name: string, readme: string, dependencies: Record<string, string> = {}): Promise<string[]> {
  const dir = join(work, name.replace(/\W/g, '-'));
  await mkdir(join(dir, 'dist'), { recursive: true });
  const manifest = {
    name,
    version: '1.0.0',
    license: 'MIT',
    types: './dist/index.d.ts',
    repository: { url: 'git+https://example.invalid/x.git', directory: 'packages/x' },
    homepage: 'x',
    bugs: 'x',
    engines: { node: '>=20' },
    dependencies,
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'LICENSE'), LICENSE);
  await writeFile(join(dir, 'README.md'), readme);
  await writeFile(join(dir, 'dist', 'index.js'), '');
  await writeFile(join(dir, 'dist', 'index.d.ts'), '');
  return tarballProblems(dir, LICENSE);
}

describe('a package README', () => {
  it('passes with its own install command', async () => {
    expect(await readmeProblems('@aekit/a', '# a\n\n```bash\nnpm install @aekit/cli @aekit/a\n```\n')).toEqual([]);
  });

  it('is refused without an install command naming the package', async () => {
    expect(await readmeProblems('@aekit/b', '# b\n\n```bash\nnpm install @aekit/cli\n```\n')).toEqual(['@aekit/b: README gives no npm install command for the package']);
  });

  it('is refused when its install brings onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip', async () => {
    const runtime = { 'onnxruntime-node': '1.0.0' };
    expect(await readmeProblems('@aekit/c', '```bash\nONNXRUNTIME_NODE_INSTALL=skip npm install @aekit/c\n```\n', runtime)).toEqual([]);
    expect(await readmeProblems('@aekit/d', '```bash\nnpm install @aekit/d\n```\n', runtime)).toEqual([
      '@aekit/d: README installs onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip',
    ]);
    // A package without the runtime whose README also shows how to add it (export-onnx's optional peer).
    const peer = '```bash\nnpm install @aekit/e\nnpm install @aekit/e onnxruntime-node   # also run models\n```\n';
    expect(await readmeProblems('@aekit/e', peer)).toEqual(['@aekit/e: README install "npm install @aekit/e onnxruntime-node   # also run models" brings onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip']);
  });
});
