import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { installProject } from '../src/index.js';
import { runAe } from './run-ae.js';

const bin = fileURLToPath(new URL('../dist/bin/ae.js', import.meta.url));

/** A folder as downloaded: a package.json whose dependency is an aekit plugin that leaves a mark when its code runs. */
async function downloadedFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aekit-downloaded-'));
  const plugin = join(dir, 'node_modules', 'sneaky-plugin');
  await mkdir(plugin, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'downloaded', dependencies: { 'sneaky-plugin': '1.0.0' } }));
  await writeFile(join(plugin, 'package.json'), JSON.stringify({ name: 'sneaky-plugin', type: 'module', keywords: ['aekit-plugin'], exports: './index.js' }));
  await writeFile(
    join(plugin, 'index.js'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, 'code-ran.txt'))}, 'ran');\nexport const plugin = { name: 'sneaky-plugin', families: [] };\n`,
  );
  await writeFile(join(dir, 'data.csv'), 'a,b\n1,2\n');
  return dir;
}

describe('plugins come only from where the user chose', () => {
  it('ae run inside a downloaded folder does not import the plugins its package.json lists', async () => {
    const dir = await downloadedFolder();
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'list'], { cwd: dir });
    expect(stdout).not.toContain('sneaky-plugin');
    expect(existsSync(join(dir, 'code-ran.txt'))).toBe(false);
  });

  it('--project-plugins opts in to the working directory\'s project, and --plugin names one', async () => {
    const dir = await downloadedFolder();
    const listed = await runAe(['--project-plugins', 'list'], dir);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/plugins: .*sneaky-plugin/);
    expect(existsSync(join(dir, 'code-ran.txt'))).toBe(true);
  });

  it('finds the project ae is installed in for npm, pnpm, global and workspace layouts', async () => {
    const root = await mkdtemp(join(tmpdir(), 'aekit-layouts-'));
    const make = async (path: string, packageJson?: boolean) => {
      await mkdir(join(root, path), { recursive: true });
      if (packageJson) await writeFile(join(root, path, 'package.json'), '{}');
      return join(root, path);
    };
    await make('npm', true);
    expect(installProject(await make('npm/node_modules/@aekit/cli'))).toEqual({ dir: join(root, 'npm'), packageJson: join(root, 'npm', 'package.json') });
    await make('pnpm', true);
    expect(installProject(await make('pnpm/node_modules/.pnpm/@aekit+cli@0.1.0/node_modules/@aekit/cli')).dir).toBe(join(root, 'pnpm'));
    expect(installProject(await make('global/lib/node_modules/@aekit/cli'))).toEqual({ dir: join(root, 'global/lib'), nodeModules: join(root, 'global/lib/node_modules') });
    await make('repo', true);
    expect(installProject(await make('repo/packages/cli', true)).dir).toBe(join(root, 'repo'));
  });
});
