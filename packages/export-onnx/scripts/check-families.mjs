// Exports every family of the installed model packages (untrained, built
// for 28×28×1 data) to ONNX, full model, encoder and decoder, and reports
// the largest difference from tfjs on a random batch, plus the result of
// onnx.checker.check_model(full_check=True) when a Python with onnx exists.
//
//   pnpm turbo run build && node packages/export-onnx/scripts/check-families.mjs [package-dir ...]
//
// Without arguments it looks at the sibling packages/models-* directories.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registry, useBackend } from '@aekit/core';
import { registerWasmKernels } from '@aekit/kernels-wasm';
import { exportAutoencoder, measureParity, MODEL_PARTS, partModel } from '../dist/index.js';

const packages = resolve(new URL('../..', import.meta.url).pathname);
const dirs = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(packages).filter((d) => d.startsWith('models-')).map((d) => join(packages, d));
const out = mkdtempSync(join(os.tmpdir(), 'aekit-families-'));
const python = ['python3', '/usr/bin/python3'].find((p) => spawnSync(p, ['-c', 'import onnx']).status === 0);

registerWasmKernels();
await useBackend('wasm');
const rows = [];
for (const dir of dirs) {
  const entry = join(dir, 'dist', 'index.js');
  if (!existsSync(entry)) {
    console.warn(`skipped ${dir}: not built`);
    continue;
  }
  const { plugin } = await import(pathToFileURL(entry).href);
  registry.use(plugin);
  for (const family of plugin.families) {
    const autoencoder = registry.create(family.name, {}, { seed: 1, dataShape: [28, 28, 1] });
    for (const part of MODEL_PARTS) {
      try {
        const bytes = exportAutoencoder(autoencoder, { part, dataShape: [28, 28, 1] });
        const file = join(out, `${family.name}.${part}.onnx`);
        writeFileSync(file, bytes);
        rows.push({ family: family.name, part, diff: await measureParity(partModel(autoencoder, part), bytes), file });
      } catch (error) {
        rows.push({ family: family.name, part, error: error.message });
      }
    }
    autoencoder.dispose();
  }
}

const checker = (file) => {
  if (!python || !file) return 'not run';
  const result = spawnSync(python, ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', file], { encoding: 'utf8' });
  return result.status === 0 ? 'passes' : `fails: ${result.stderr.trim().split('\n').pop()}`;
};
console.log('| family | part | max abs diff vs tfjs | onnx.checker |');
console.log('| --- | --- | ---: | --- |');
for (const row of rows) {
  console.log(`| ${row.family} | ${row.part} | ${row.error ? `error: ${row.error}` : row.diff.toExponential(1)} | ${checker(row.file)} |`);
}
rmSync(out, { recursive: true, force: true });
if (rows.some((r) => r.error || !(r.diff <= 1e-4))) process.exitCode = 1;
