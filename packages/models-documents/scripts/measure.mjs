// Measures doc-denoiser on the default `documents` data (README results):
//   nice node packages/models-documents/scripts/measure.mjs [extra ae train options]
// from the repository root. It runs `ae train doc-denoiser` in-process, the
// same as the command line.
import { tf } from '@aekit/core';
import { runCli } from '@aekit/cli';

tf.enableProdMode();
const plugin = new URL('..', import.meta.url).pathname;
const args = ['train', 'doc-denoiser', '--plugin', plugin, '--backend', 'wasm', ...process.argv.slice(2)];
console.log(`ae ${args.join(' ')}`);
process.exitCode = await runCli(args);
