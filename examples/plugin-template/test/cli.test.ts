import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '@aekit/cli';

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
    expect(out).toMatch(/families:[\s\S]*\n\s+tied\s+tied-weights autoencoder/);
    expect(out).toContain('@aekit/plugin-template');
  });
});
// #endregion cli
