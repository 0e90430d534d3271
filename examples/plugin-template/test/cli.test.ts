import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '@aekit/cli';

// #region cli
// The package directory, as a user would pass it: `ae --plugin ./plugin-template ...`.
const templateDir = fileURLToPath(new URL('..', import.meta.url));

async function ae(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--plugin', templateDir, ...argv], { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the ae tool with the template plugin', () => {
  it('lists the tied family', async () => {
    const { code, out, err } = await ae('list');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/families:[\s\S]*\n\s+tied\s+tied-weights autoencoder/);
    expect(out).toMatch(/plugins: .*@aekit\/plugin-template/);
  });

  it('trains it and writes a complete run directory', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'aekit-template-')), 'tied');
    const trained = await ae('train', 'tied', '--limit', '500', '--epochs', '1', '--test-limit', '200', '--out', dir, '--code-points', '100');
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toMatch(/training tied on 500 examples/);
    expect(trained.out).toMatch(/tied: 25904 weights \(an untied model has 50992\)/);

    const files = await readdir(dir);
    for (const file of ['codes.png', 'filters.png', 'loss.png', 'metrics.json', 'model', 'reconstructions.png']) expect(files).toContain(file);
    const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({
      family: 'tied',
      config: { latentDim: 32, activation: 'relu', outputActivation: 'sigmoid' },
      epochs: 1,
      testSamples: 200,
      parameters: 25904,
      untiedParameters: 50992,
      filtersPicture: 'filters.png',
    });
    expect(metrics.testLoss).toBeGreaterThan(0);
    expect(metrics.testLoss).toBeLessThan(0.69);
    const modelJson = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8'));
    expect(JSON.stringify(modelJson.modelTopology)).toContain('"class_name":"TiedDense"');

    const evaluated = await ae('eval', dir, '--test-limit', '200');
    expect(evaluated.err).toBe('');
    expect(evaluated.code).toBe(0);
    const reported = Number(/test loss (\d\.\d+)/.exec(evaluated.out)![1]);
    expect(reported).toBeCloseTo(metrics.testLoss, 3);
  });

  // #endregion cli

  it('reports a bad setting in one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aekit-template-'));
    const { code, err } = await ae('train', 'tied', '--config', '{"latentDim": -1}', '--limit', '100', '--out', dir);
    expect(code).toBe(1);
    expect(err).toMatch(/^ae: .*tied\.latentDim/);
    expect(err.split('\n')).toHaveLength(1);
  });
});
