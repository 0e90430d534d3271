import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { aeWithPlugins, runAe } from './run-ae.js';

const mlp = fileURLToPath(new URL('./fixtures/table-plugin', import.meta.url));
const exportOnnx = dirname(createRequire(import.meta.url).resolve('@aekit/export-onnx/package.json'));
const ae = aeWithPlugins(mlp, exportOnnx);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aekit-edges-'));
});

const table = (rows: number, bad?: number) =>
  ['u,v,w', ...Array.from({ length: rows }, (_, i) => (i === bad ? `${i},oops,1` : `${i % 7},${(i * 3) % 5},${(i % 7) + ((i * 3) % 5)}`))].join('\n') + '\n';

describe('data edge cases, each once a crash or a wrong answer', () => {
  it('trains on a 4-row table (one row held out for testing) instead of crashing', async () => {
    const csv = join(dir, 'four.csv');
    await writeFile(csv, table(4));
    const run = join(dir, 'four');
    const trained = await ae('train', 'mlp', '--data', csv, '--epochs', '1', '--backend', 'wasm', '--out', run);
    expect(trained.err).toBe('');
    expect(trained.out).toContain('read 3 training and 1 test rows of 3 features');
    expect(existsSync(join(run, 'metrics.json'))).toBe(true);
  });

  it('trains, evaluates and scores a table without --label (no fallback to MNIST)', async () => {
    const csv = join(dir, 'plain.csv');
    await writeFile(csv, table(60));
    const run = join(dir, 'plain');
    expect(await ae('train', 'mlp', '--data', csv, '--epochs', '2', '--backend', 'wasm', '--out', run)).toMatchObject({ code: 0, err: '' });
    expect(existsSync(join(run, 'metrics.json'))).toBe(true);
    const evaluated = await ae('eval', run, '--backend', 'wasm');
    expect(evaluated.err).toBe('');
    expect(evaluated.out).toMatch(/on \d+ rows with wasm/);
    expect(await ae('score', run, '--backend', 'wasm')).toMatchObject({ code: 0, err: '' });
  });

  it('leaves no empty run folder behind when a run fails before writing anything', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'aekit-edges-cwd-'));
    const failed = await runAe(['--plugin', mlp, 'train', 'mlp', '--data', join(dir, 'missing.csv')], cwd);
    expect(failed.code).toBe(1);
    expect(await readdir(join(cwd, 'runs')).catch(() => [])).toEqual([]);
  });

  it("ae eval and ae score skip bad rows as the run did, and ae infer takes the --skip-bad it suggests", async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, table(60, 7));
    const run = join(dir, 'bad');
    expect(await ae('train', 'mlp', '--data', csv, '--skip-bad', '--epochs', '1', '--backend', 'wasm', '--out', run)).toMatchObject({ code: 0, err: '' });
    expect(await ae('eval', run, '--backend', 'wasm')).toMatchObject({ code: 0, err: '' });
    const scored = await ae('score', run, csv, '--backend', 'wasm');
    expect(scored.err).toBe('');
    expect(scored.out).toContain("skipped 1 item (the first: line 9: column 'v' is \"oops\", not a number)");
    expect(await ae('export', run)).toMatchObject({ code: 0 });
    const refused = await ae('infer', join(run, 'model.onnx'), csv);
    expect(refused.err).toBe(`ae: ${csv}: line 9: column 'v' is "oops", not a number (pass --skip-bad to skip such rows)`);
    const inferred = await ae('infer', join(run, 'model.onnx'), csv, '--skip-bad');
    expect(inferred.err).toBe('');
    expect(inferred.out).toContain('skipped 1 item (the first: line 9');
  });

  it('keeps the decoded cache of an image folder in --cache-dir for reuse, and eval reads it again', async () => {
    const photos = join(dir, 'photos');
    await mkdir(photos);
    for (let i = 0; i < 12; i++) {
      const png = new PNG({ width: 6, height: 6 });
      png.data.fill(20 * i);
      await writeFile(join(photos, `${i}.png`), PNG.sync.write(png));
    }
    const cache = join(dir, 'cache');
    const run = join(dir, 'cached');
    const trained = await ae('train', 'mlp', '--data', photos, '--cache-dir', cache, '--epochs', '1', '--backend', 'wasm', '--out', run);
    expect(trained.err).toBe('');
    expect(trained.out).toMatch(new RegExp(`streamed from the decoded cache ${cache}/\\w+-6x6x\\d\\.u8`));
    expect((await readdir(cache)).sort()).toEqual([expect.stringMatching(/\.json$/), expect.stringMatching(/\.u8$/)]);
    expect(await ae('eval', run, '--backend', 'wasm')).toMatchObject({ code: 0, err: '' });
    expect(await readdir(cache)).toHaveLength(2);
  });

  it('fails, in one line, when no plugin is installed beside ae', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'aekit-no-project-'));
    // A process of its own (this one has registered the tests' plugins), whose
    // plugin project is an empty folder: as ae installed where no plugin is.
    const index = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;
    const script = `import { runCli } from ${JSON.stringify(index)}; process.exitCode = await runCli(['list'], undefined, { pluginProject: ${JSON.stringify(empty)} });`;
    const listed = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: empty, encoding: 'utf8' });
    expect(listed.status).toBe(1);
    expect(listed.stderr.trim()).toBe(`ae: no families registered: no aekit plugin is installed in the project @aekit/cli is installed in; install one such as @aekit/models-dense beside it, pass --plugin <package or path>, or --project-plugins to use the plugins of the project in ${empty}`);
  });
});
