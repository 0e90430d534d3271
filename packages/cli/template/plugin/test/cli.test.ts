import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FamilyRegistry } from '@aekit/core';
import { saveAutoencoder } from '@aekit/core/node';
import { runCli } from '@aekit/cli';
import { plugin } from '../src/index.js';

// #region cli
// The package directory, as a user passes it: `ae --plugin ./my-plugin ...`.
// `ae` loads the built entry (dist/index.js), so build before testing.
const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function ae(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--plugin', packageDir, ...argv], { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the ae tool with this plugin', () => {
  it('finds the built plugin and lists its family', async () => {
    expect(existsSync(new URL('../dist/index.js', import.meta.url)), 'dist/index.js is missing: run the build first').toBe(true);
    const { code, out, err } = await ae('list');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/families:[\s\S]*\n\s+{{family}}\s+tied-weights autoencoder/);
    expect(out).toContain('{{name}}');
  });

  it('runs the command the plugin adds on a saved model, checking its options', async () => {
    const run = await mkdtemp(join(tmpdir(), '{{family}}-'));
    const registry = new FamilyRegistry();
    registry.use(plugin);
    const autoencoder = registry.create('{{family}}', { latentDim: 8 }, { seed: 0, dataShape: [28, 28, 1] });
    await saveAutoencoder(autoencoder, join(run, 'model'), [28, 28, 1]);
    autoencoder.dispose();
    const described = await ae('{{family}}-describe', run, '--json', '--precision', '3');
    expect(described.err).toBe('');
    expect(JSON.parse(described.out)).toMatchObject({ family: '{{family}}', code: [8] });
    const refused = await ae('{{family}}-describe', run, '--precision', '0');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/option '--precision <digits>' argument '0' is invalid/);
  });
});
// #endregion cli
