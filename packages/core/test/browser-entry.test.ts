// Core's main entry is what a browser bundle of aekit holds (the docs'
// demos, a user's Vite app): bundled for the browser it must import nothing
// of Node. Worker threads and files live behind @aekit/core/node.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Bundles a built entry for browsers as esbuild does for Vite. Resolves to
 * the modules it took in, what aekit's own modules (those outside
 * node_modules) import, and the errors: a `node:` module or a Node built-in
 * does not resolve for the browser. (tfjs itself maps `fs`, `worker_threads`
 * and others away in its package.json's `browser` field; esbuild reports
 * those as "(disabled):".)
 */
async function browserBundle(entry: string): Promise<{ errors: string[]; inputs: string[]; ownImports: string[] }> {
  try {
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    const inputs = Object.entries(result.metafile.inputs);
    const ownImports = inputs.filter(([file]) => !file.includes('node_modules')).flatMap(([file, input]) => input.imports.map((i) => `${file} -> ${i.original ?? i.path}`));
    return { errors: [], inputs: inputs.map(([file]) => file), ownImports };
  } catch (error) {
    const failure = error as { errors?: { text: string; location?: { file: string } | null }[] };
    return { errors: (failure.errors ?? [{ text: String(error) }]).map((e) => `${e.location?.file ?? '?'}: ${e.text}`), inputs: [], ownImports: [] };
  }
}

describe('the browser bundle of core', () => {
  it('of the main entry imports nothing of Node (no node: module, no worker threads)', async () => {
    const { errors, inputs, ownImports } = await browserBundle(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
    expect(errors).toEqual([]);
    expect(inputs.some((file) => file.endsWith('dist/index.js'))).toBe(true);
    expect(ownImports.length).toBeGreaterThan(20);
    expect(ownImports.filter((i) => /-> (node:|(fs|path|os|url|worker_threads|child_process|crypto|util)(\/|$))/.test(i))).toEqual([]);
    expect(inputs.filter((file) => /dist\/node\/|trainer\/parallel\//.test(file))).toEqual([]);
  }, 60_000);

  it('fails, naming the module, for an entry that does import Node (so the check above can fail)', async () => {
    const { errors } = await browserBundle(fileURLToPath(new URL('../dist/node/index.js', import.meta.url)));
    expect(errors.join('\n')).toMatch(/node:/);
  }, 60_000);
});
